# "Monday, 7 December 2026, 14:00": the day spelled out, a 24-hour clock (see cplatform/formats).
DATE_FORMAT = "l, j F Y"
DATETIME_FORMAT = "l, j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATETIME_FORMAT = "D j M, H:i"
