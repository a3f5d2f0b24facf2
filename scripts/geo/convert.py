"""Converts @etalab/decoupage-administratif's JSON into the compact CSV files agora-geo embeds:
régions and départements of France (metropolitan and overseas départements), and their
current communes with the municipal arrondissements of Paris, Lyon and Marseille."""

import csv
import json
import os
import sys

source, target, version = sys.argv[1], sys.argv[2], sys.argv[3]


def load(name):
    with open(os.path.join(source, name), encoding="utf-8") as f:
        return json.load(f)


def write(name, header, rows):
    with open(os.path.join(target, name), "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


ZONES = ("metro", "drom")
regions = sorted((r for r in load("regions.json") if r["zone"] in ZONES), key=lambda r: r["code"])
departements = sorted((d for d in load("departements.json") if d["zone"] in ZONES), key=lambda d: d["code"])
kept = {d["code"] for d in departements}
communes = sorted(
    (
        c
        for c in load("communes.json")
        if c["type"] in ("commune-actuelle", "arrondissement-municipal") and c["departement"] in kept
    ),
    key=lambda c: c["code"],
)

write("regions.csv", ["code", "nom"], [[r["code"], r["nom"]] for r in regions])
write("departements.csv", ["code", "nom", "region"], [[d["code"], d["nom"], d["region"]] for d in departements])
write(
    "communes.csv",
    ["code", "nom", "departement", "region", "codes_postaux", "population", "commune_parente"],
    [
        [
            c["code"],
            c["nom"],
            c["departement"],
            c["region"],
            " ".join(c.get("codesPostaux", [])),
            c.get("population", 0),
            c.get("commune", ""),
        ]
        for c in communes
    ],
)
current = {c["code"] for c in communes}
aliases = sorted(
    (
        c
        for c in load("communes.json")
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu", c.get("commune")) in current
    ),
    key=lambda c: (c["code"], c["nom"]),
)
write(
    "anciennes_communes.csv",
    ["code", "nom", "codes_postaux", "commune"],
    [[c["code"], c["nom"], " ".join(c.get("codesPostaux", [])), c.get("chefLieu", c.get("commune"))] for c in aliases],
)
with open(os.path.join(target, "SOURCE"), "w", encoding="utf-8") as f:
    f.write(
        f"@etalab/decoupage-administratif {version} (MIT), from the npm registry; "
        f"{len(regions)} régions, {len(departements)} départements, {len(communes)} communes "
        f"and municipal arrondissements, {len(aliases)} former communes merged into them. "
        "Regenerate with scripts/geo/build-reference.\n"
    )
print(f"{len(regions)} régions, {len(departements)} départements, {len(communes)} communes, {len(aliases)} former communes")
