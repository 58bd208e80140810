"""The measuring core every dashboard reads: periods in the school's time zone, the recording of what
is not recorded elsewhere (daily activity, downloads, page views), rollups, and selectors that answer
in a fixed number of SQL queries whatever the data size."""
