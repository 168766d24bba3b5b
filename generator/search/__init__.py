from .builder import IndexStats, SearchDoc, build_index

__all__ = ["IndexStats", "SearchDoc", "build_index"]
