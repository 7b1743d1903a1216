#!/usr/bin/env python3
"""Prints each demo organisation's Art. 30 controller record, as an auditor's spreadsheet
program would: imports the demo into a fresh SQLite database, exports the XLSX record, converts
it to PDF with LibreOffice (headless), and checks the page count: no more pages than activities
plus one for the organisation sheet. Before the print setup, 8 activities took 20 pages, one
column each.

Usage: scripts/print-check.py --binary target/debug/ropa
Needs: soffice (Debian: libreoffice-calc-nogui) and pdfinfo (poppler-utils).
Prints one line per organisation and `print-check: N passed, M failed`.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def pages(pdf):
    for line in run("pdfinfo", str(pdf)).stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError(f"pdfinfo gave no page count for {pdf}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    binary = str(pathlib.Path(args.binary).resolve())
    demo = sorted(ROOT.glob("demo/*.yaml"))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        url = f"sqlite://{tmp / 'demo.db'}"
        run(binary, "import", "--database-url", url, *map(str, demo))
        for doc in demo:
            slug = doc.stem
            base = [binary, "export", "art30", "--database-url", url, "--organisation", slug]
            run(*base, "--format", "json", "-o", str(tmp / f"{slug}.json"))
            activities = len(json.loads((tmp / f"{slug}.json").read_text())["entries"])
            xlsx = tmp / f"{slug}.xlsx"
            run(*base, "--format", "xlsx", "-o", str(xlsx))
            # A profile of its own, so a running LibreOffice or an earlier run does not interfere.
            profile = (tmp / "profile").as_uri()
            run("soffice", f"-env:UserInstallation={profile}", "--headless",
                "--convert-to", "pdf", "--outdir", str(tmp), str(xlsx))
            got = pages(tmp / f"{slug}.pdf")
            limit = activities + 1
            ok = got <= limit
            print(f"{slug}: {activities} activities, {got} pages (at most {limit}): {'ok' if ok else 'FAILED'}")
            passed, failed = passed + ok, failed + (not ok)
    print(f"print-check: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
