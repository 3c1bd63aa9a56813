"""Writes the Parquet fixtures of crates/driftscope-cli/tests/fixtures/ (logical types polars
is built without: decimal, date, timestamp, duration, time of day). Needs pyarrow:

    driftscope generate --out /tmp/base.csv --rows 300 --seed 7
    python3 tools/parquet_fixtures.py /tmp/base.csv crates/driftscope-cli/tests/fixtures
"""
import datetime
import decimal
import sys

import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.parquet as pq

base, out = sys.argv[1], sys.argv[2]
t = pc.read_csv(base)
n = t.num_rows
day0 = datetime.date(2026, 1, 1)
extras = t
for name, values, kind in [
    ("dec_extra", [decimal.Decimal(f"{i}.25") for i in range(n)], pa.decimal128(10, 2)),
    ("day", [day0 + datetime.timedelta(days=i) for i in range(n)], pa.date32()),
    ("ts", [datetime.datetime(2026, 1, 1) + datetime.timedelta(hours=i) for i in range(n)], pa.timestamp("us")),
    ("dur", [datetime.timedelta(seconds=i) for i in range(n)], pa.duration("s")),
    ("tod", [datetime.time(i % 24, 0) for i in range(n)], pa.time64("us")),
]:
    extras = extras.append_column(name, pa.array(values, kind))
pq.write_table(extras, f"{out}/extras.parquet")
i = t.schema.get_field_index("MonthlyCharges")
cents = decimal.Decimal("0.01")
md = [decimal.Decimal(str(v)).quantize(cents) for v in t.column("MonthlyCharges").to_pylist()]
pq.write_table(t.set_column(i, "MonthlyCharges", pa.array(md, pa.decimal128(10, 2))), f"{out}/feature_decimal.parquet")
i = t.schema.get_field_index("Tenure")
td = [datetime.date(2020, 1, 1) + datetime.timedelta(days=v) for v in t.column("Tenure").to_pylist()]
pq.write_table(t.set_column(i, "Tenure", pa.array(td, pa.date32())), f"{out}/feature_date.parquet")
