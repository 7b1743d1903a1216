#!/usr/bin/env python3
"""List the term IRIs (concepts and properties) of W3C DPV source files, one per line, sorted.

Reads the files of the DPV repository (https://github.com/w3c/dpv) as published there, saved
locally:

- CSV term lists (`2.3/dpv/dpv.csv`, `loc/modules/locations.csv`, ...): the `iri` column of
  every row;
- Turtle (`2.3/legal/eu/gdpr/eu-gdpr.ttl`, ...): every subject declared `a rdfs:Class` or
  `a rdf:Property`, its prefix expanded with the file's `@prefix` lines.

Only IRIs in the namespaces given with `--namespace` are kept (a DPV file also declares terms
of other vocabularies, e.g. eu-gdpr.ttl describes `dct:title`). Location terms can be limited
to countries and supranational unions with `--loc-kinds`, since the full `loc` extension lists
every ISO 3166-2 region as well.

    python3 scripts/dpv-terms.py \\
        --note 'DPV 2.3 ...' \\
        --namespace https://w3id.org/dpv# \\
        --namespace https://w3id.org/dpv/legal/eu/gdpr# \\
        --namespace https://w3id.org/dpv/loc# \\
        --loc-kinds Country,SupraNationalUnion \\
        dpv.csv eu-gdpr.ttl locations.csv memberships.csv > data/dpv-terms.txt

The output starts with the `--note` lines, each prefixed `# `.
"""

import argparse
import csv
import re
import sys

DPV = "https://w3id.org/dpv#"
LOC = "https://w3id.org/dpv/loc#"

PREFIX = re.compile(r"^@prefix\s+([A-Za-z0-9_-]*):\s*<([^>]*)>\s*\.")
# A subject at the start of a line, then its first type: `eu-gdpr:A6-1-a a rdfs:Class,`.
SUBJECT = re.compile(r"^(\S+)\s+a\s+(rdfs:Class|rdf:Property|owl:Class|owl:ObjectProperty|owl:DatatypeProperty)\b")


def csv_terms(path, loc_kinds):
    """The IRIs of a DPV CSV term list (columns `term,type,iri,...,dpvtype,...,hasbroader`)."""
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iri = (row.get("iri") or "").strip()
            if not iri:
                continue
            if loc_kinds and iri.startswith(LOC) and row.get("type") == "class":
                kinds = {k for k in (row.get("dpvtype") or "").split(";") if k}
                if not kinds & {DPV + kind for kind in loc_kinds}:
                    continue
            yield iri


def ttl_terms(path):
    """The IRIs declared as classes or properties at the start of a line of a Turtle file."""
    prefixes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = PREFIX.match(line)
            if m:
                prefixes[m.group(1)] = m.group(2)
                continue
            m = SUBJECT.match(line)
            if not m:
                continue
            subject = m.group(1)
            if subject.startswith("<") and subject.endswith(">"):
                yield subject[1:-1]
            elif ":" in subject:
                prefix, local = subject.split(":", 1)
                if prefix in prefixes:
                    yield prefixes[prefix] + local


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="DPV .csv or .ttl files")
    parser.add_argument("--namespace", action="append", default=[], help="namespace to keep (repeatable)")
    parser.add_argument("--loc-kinds", default="", help="comma-separated dpv types to keep for loc classes, e.g. Country,SupraNationalUnion")
    parser.add_argument("--note", action="append", default=[], help="header line (repeatable)")
    args = parser.parse_args()

    loc_kinds = [k for k in args.loc_kinds.split(",") if k]
    terms = set()
    for path in args.files:
        found = ttl_terms(path) if path.endswith(".ttl") else csv_terms(path, loc_kinds)
        terms.update(t for t in found if not args.namespace or any(t.startswith(ns) for ns in args.namespace))
    for note in args.note:
        print(f"# {note}")
    for term in sorted(terms):
        print(term)
    if not terms:
        print("no terms found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
