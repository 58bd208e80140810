# "lunes, 7 de diciembre de 2026, 14:00"; short "lun 7 dic, 14:00" (see cplatform/formats).
# Weekdays are lower case as Spanish writes them: the project catalog overrides Django's "Lunes".
DATE_FORMAT = r"l, j \d\e F \d\e Y"
DATETIME_FORMAT = r"l, j \d\e F \d\e Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
SHORT_DATETIME_FORMAT = "D j b, H:i"
