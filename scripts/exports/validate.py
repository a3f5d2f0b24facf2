"""Validates Agora's open-data exports with the formats' own validators.

    validate.py DIR [--schemas tests/schemas/hsds-3] [--csv-check]

DIR holds what `agora export --to DIR` writes (JSON arrays or JSON lines):
- data-inclusion-structures.json(l), data-inclusion-services.json(l): every item through
  the pydantic models of the package `data-inclusion-schema` (v1 `Structure`, `Service`),
  warnings included (a name ending with a full stop…);
- hsds-organizations.json(l), hsds-services.json(l): every item against the compiled JSON
  schemas of HSDS 3.0, formats checked (uuid, email, uri, date-time);
- agora-fiches.csv, with --csv-check: opened by LibreOffice headless (its standard CSV
  import, `;`, UTF-8) and read back: every cell as written (accents included), no formula,
  dates read as dates.
Prints one line per file and a closing `N passed, N failed` (items); exits 1 on any failure.
"""

import csv
import io
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema
from data_inclusion.schema.v1 import Service, Structure
from pydantic import ValidationError

STRICT = {"ignore_warnings": False}
passed = 0
failed = 0


def items(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    if not isinstance(data, list):
        raise SystemExit(f"{path}: not a JSON array")
    return data


def record(path, n, errors):
    global passed, failed
    # An item can fail on several cells: count each failing item once.
    bad = min(len(errors), n) if errors else 0
    failed += max(bad, 1) if errors else 0
    passed += n - bad
    status = "ok" if not errors else f"{len(errors)} INVALID"
    print(f"{path.name}: {n} items, {status}")
    for line in errors[:20]:
        print(f"  {line}")


def check_pydantic(path, model):
    data = items(path)
    errors = []
    for i, item in enumerate(data):
        try:
            model.model_validate(item, context=STRICT)
        except ValidationError as e:
            errors.append(f"item {i} ({item.get('id')}): {e}")
    record(path, len(data), errors)


def check_schema(path, schema_path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    data = items(path)
    errors = []
    for i, item in enumerate(data):
        problems = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
        if problems:
            p = problems[0]
            where = "/".join(str(x) for x in p.path)
            errors.append(f"item {i} ({item.get('id')}): /{where}: {p.message[:300]}")
    record(path, len(data), errors)


NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
DATE_COLUMNS = {"Publiée le", "Mise à jour le", "Vérifiée le"}


def q(ns, name):
    return "{%s}%s" % (NS[ns], name)


def read_back(fods: pathlib.Path):
    """The cells of the first sheet as (value-type, formula, text, date-value)."""
    rows = []
    for row in ET.parse(fods).iter(q("table", "table-row")):
        repeat = int(row.get(q("table", "number-rows-repeated"), "1"))
        cells = []
        for c in row.findall("table:table-cell", NS):
            n = int(c.get(q("table", "number-columns-repeated"), "1"))
            text = "\n".join("".join(p.itertext()) for p in c.findall("text:p", NS))
            value = (
                c.get(q("office", "value-type")),
                c.get(q("table", "formula")),
                text,
                c.get(q("office", "date-value")),
            )
            cells.extend([value] * min(n, 64))
        while cells and cells[-1][0] is None:
            cells.pop()
        if cells:
            rows.extend([cells] * min(repeat, 1))
    return rows


def check_csv(path: pathlib.Path):
    raw = path.read_bytes()
    errors = []
    if not raw.startswith(b"\xef\xbb\xbf"):
        errors.append("no UTF-8 byte-order mark")
    text = raw.decode("utf-8-sig")
    written = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if not text.endswith("\r\n") or text.count("\r\n") < len(written):
        errors.append("rows do not end with CRLF")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed: run scripts/libreoffice-deps")
    with tempfile.TemporaryDirectory() as tmp:
        # The import a person gets: `;` separated, `"` quoted, UTF-8 (76), from line 1, in
        # a French locale (1036); formulas are evaluated, as by default.
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--infilter=CSV:59,34,76,1,,1036", "--convert-to", "fods", "--outdir", tmp, str(path)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600,
        )
        sheet = read_back(pathlib.Path(tmp) / (path.stem + ".fods"))
    header = written[0]
    if len(sheet) != len(written):
        errors.append(f"LibreOffice read {len(sheet)} rows, the file has {len(written)}")
    for r, (want, got) in enumerate(zip(written, sheet)):
        for c, value in enumerate(want):
            kind, formula, shown, date = got[c] if c < len(got) else (None, None, "", None)
            column = header[c] if c < len(header) else str(c)
            if formula:
                errors.append(f"row {r + 1}, {column}: read as a formula {formula!r}")
            elif r > 0 and column in DATE_COLUMNS and value:
                if kind != "date" or not (date or "").startswith(value):
                    errors.append(f"row {r + 1}, {column}: {value!r} read as {kind} {date!r}")
            elif value and kind != "string" and not (
                # A number as written, or a French decimal ("3,5") read as that number.
                kind == "float" and shown in (value, value.replace(",", "."))
            ):
                errors.append(f"row {r + 1}, {column}: {value!r} read as {kind} {shown!r}")
            elif kind == "string" and shown != value:
                errors.append(f"row {r + 1}, {column}: {value!r} shown as {shown!r}")
    record(path, max(len(written) - 1, 0), errors)


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    directory = pathlib.Path(args[0])
    schemas = pathlib.Path("tests/schemas/hsds-3")
    if "--schemas" in args:
        schemas = pathlib.Path(args[args.index("--schemas") + 1])
    found = 0
    for stem, check in [
        ("data-inclusion-structures", lambda p: check_pydantic(p, Structure)),
        ("data-inclusion-services", lambda p: check_pydantic(p, Service)),
        ("hsds-organizations", lambda p: check_schema(p, schemas / "organization.json")),
        ("hsds-services", lambda p: check_schema(p, schemas / "service.json")),
    ]:
        for suffix in (".json", ".jsonl"):
            path = directory / (stem + suffix)
            if path.exists():
                found += 1
                check(path)
    csv_path = directory / "agora-fiches.csv"
    if "--csv-check" in args and csv_path.exists():
        found += 1
        check_csv(csv_path)
    if found == 0:
        raise SystemExit(f"no export found in {directory}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
