#!/usr/bin/env python3
"""Writes ../resources/cases/generated-*.tsv from templates.py.

The expected values come from the hand-written template fields and from how each variant is built (a literal
becomes `?`, a run of white space or comments becomes one space, a keyword's case change shows in the canonical
form, an added hint comment shows in the hints column); the classifier's output is never consulted. Deterministic
(fixed seed): rerun after editing templates.py and review the diff.

    python3 sluice-classifier/src/test/golden/generate.py
"""
import os
import random
import re

from templates import TEMPLATES

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "cases")

# Literals of every kind the lexer knows; each becomes one `?` in the canonical form.
LITERALS = [
    "42", "0", "3.14", "1e3", "2.5E-3", ".5", "'abc'", "''", "'it''s'", "'a\\'b'", '"dq"', "_utf8mb4'x'",
    "_binary 'bin'", "N'nat'", "X'0A1B'", "x'ff'", "0x1F", "b'101'", "0b11", "'multi' 'part'",
    "'caf\u00e9'", "'semi;colon'", "'-- not a comment'", "'/* not a comment */'", "'q\"uote'", "'tab\there'",
    "'back\\\\slash'", "'@var'", "'?'", "'#hash'",
]
# Replacements for a single space between tokens; all fold to one space in the canonical form.
GAPS = ["  ", "\t", "\n", "\r\n", " /* c */ ", "/*x*/", " -- line\n", " # hash\n", " /* multi\nline */ ", "\t\t  "]
HINTS = [
    ("{} -- maxscale route to slave", "route to slave"),
    ("/* maxscale route to master */ {}", "route to master"),
    ("{} /* sluice route to server db3 */", "route to server db3"),
    ("# maxscale max_replication_lag=5\n{}", "max_replication_lag=5"),
    ("{} -- maxscale begin route to master", "begin route to master"),
    ("/* maxscale end */ {}", "end"),
    ("{} /* maxscale h1 prepare route to last */", "h1 prepare route to last"),
]
SLOT = re.compile(r"\{(=[^}]*)?\}")


def tsv_escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def fill(template, rng, literals=None):
    """The template with its slots filled, and the canonical form (slots as ?)."""
    statement = []
    canonical = []
    pos = 0
    for m in SLOT.finditer(template):
        text = template[pos:m.start()]
        statement.append(("text", text))
        canonical.append(text)
        literal = m.group(1)[1:] if m.group(1) else (literals.pop(0) if literals else rng.choice(LITERALS))
        statement.append(("literal", literal))
        canonical.append("?")
        pos = m.end()
    statement.append(("text", template[pos:]))
    canonical.append(template[pos:])
    return statement, "".join(canonical)


def join(parts, gap_choice=None):
    out = []
    for kind, text in parts:
        if kind == "text" and gap_choice:
            text = re.sub(" ", lambda _: gap_choice(), text)
        out.append(text)
    return "".join(out)


def lower_keywords(text):
    return re.sub(r"\b[A-Z][A-Z_]+\b", lambda m: m.group(0).lower(), text)


def line(statement, types, op, tables, hints, canonical, extras):
    cols = [tsv_escape(statement), types, op, tables or "-", hints or "-", tsv_escape(canonical)]
    if extras:
        cols.append(" ".join(extras))
    return "\t".join(cols)


def extras_of(fns, dbs, multi=False):
    extras = ["fn=" + (fns or "-"), "db=" + (dbs or "-")]
    extras.append("multi" if multi else "single")
    return extras


def variants(rng):
    out = []
    for template, types, op, tables, fns, dbs in TEMPLATES:
        extras = extras_of(fns, dbs)
        slots = len(SLOT.findall(template))
        # 1. every literal kind, three statements per template
        for _ in range(3):
            parts, canonical = fill(template, rng)
            out.append(line(join(parts), types, op, tables, "", canonical, extras))
        # 2. white space and comments between tokens
        for _ in range(2):
            parts, canonical = fill(template, rng)
            out.append(line(join(parts, lambda: rng.choice(GAPS)), types, op, tables, "", canonical, extras))
        # 3. keywords in lower case
        parts, canonical = fill(template, rng)
        lowered = [(k, lower_keywords(t) if k == "text" else t) for k, t in parts]
        out.append(line(join(lowered), types, op, tables, "", lower_keywords(canonical), extras))
        # 4. a hint comment before or after
        parts, canonical = fill(template, rng)
        shape, hint = rng.choice(HINTS)
        out.append(line(shape.format(join(parts)), types, op, tables, hint, canonical, extras))
        # 5. the whole statement inside an executable comment
        parts, canonical = fill(template, rng, [l for l in LITERALS if "*/" not in l and "--" not in l
                                                and "#" not in l][:slots])
        wrapper = rng.choice(["/*!50000 {} */", "/*M!100100 {} */", "/*!{}*/"])
        out.append(line(wrapper.format(join(parts)), types, op, tables, "", canonical, extras))
        # 6. a trailing semicolon
        parts, canonical = fill(template, rng)
        suffix = rng.choice([";", " ;", "; "])
        out.append(line(join(parts) + suffix, types, op, tables, "", canonical + suffix.rstrip(), extras))
    return out


def union(*lists):
    seen = []
    for names in lists:
        for name in (names.split(",") if names else []):
            if name not in seen:
                seen.append(name)
    return ",".join(seen)


def multi_statements(rng, count):
    out = []
    for _ in range(count):
        a, b = rng.sample(TEMPLATES, 2)
        pa, ca = fill(a[0], rng)
        pb, cb = fill(b[0], rng)
        types = a[1] + "|" + b[1]
        extras = extras_of(union(a[4], b[4]), union(a[5], b[5]), multi=True)
        out.append(line(join(pa) + "; " + join(pb), types, a[2], union(a[3], b[3]), "", ca + "; " + cb, extras))
    return out


def main():
    rng = random.Random(20261124)
    header = "# Generated by src/test/golden/generate.py from templates.py; edit those, not this file.\n"
    with open(os.path.join(OUT, "generated-variants.tsv"), "w", encoding="utf-8") as f:
        f.write(header)
        for row in variants(rng):
            f.write(row + "\n")
    with open(os.path.join(OUT, "generated-multi.tsv"), "w", encoding="utf-8") as f:
        f.write(header)
        for row in multi_statements(rng, 200):
            f.write(row + "\n")


if __name__ == "__main__":
    main()
