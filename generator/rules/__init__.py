"""Law as code: pure functions on str, int, date and Decimal, no dependency on the rest of
the project.

identifiers  统一社会信用代码 (GB 32100), 身份证号码 (GB 11643), Luhn
privacy      personal data in published text; masking natural persons' names
workdays     working days (chinese_calendar + bureau-supplied years), YearNotCovered
periods      公示期 of penalty decisions (2019 and 2026 regimes)
timeliness   publication deadlines (国办发〔2018〕118号), accident deadlines, withdrawal
levels       accident levels (国务院令第493号 art. 3)
"""
