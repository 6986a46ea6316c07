"""Catalogue search benchmark (issue 5): import N synthetic items through the CSV importer,
then time the JSON search API server-side (Server-Timing) for typical, typo, item-number and
zero-result queries. Prints p50/p95 per size.

    .venv/bin/python bench/bench_search.py                 # 10k, 100k, 1M on a temporary SQLite file
    .venv/bin/python bench/bench_search.py --sizes 10000   # just one size
    DATABASE_URL=postgresql+psycopg://.../webshop_bench .venv/bin/python bench/bench_search.py --reset-schema
        # --reset-schema drops and recreates the public schema of DATABASE_URL before each size:
        # only for a database made for the bench
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NOUNS = ["kopipapir", "kulepenn", "blyant", "tusj", "perm", "konvolutt", "toalettpapir", "tørkepapir", "såpe",
         "kaffe", "farin", "hansker", "søppelsekk", "lyspære", "batteri", "tape", "saks", "linjal", "viskelær",
         "notatblokk", "arkivboks", "stiftemaskin", "hullemaskin", "whiteboard", "markør", "lim", "plastlomme",
         "etikett", "kalender", "mappe", "skrivebok", "fargeblyant", "kritt", "servietter", "kopper", "tallerken"]
ADJ = ["blå", "rød", "svart", "grønn", "hvit", "stor", "liten", "miljø", "premium", "basis", "ekstra", "myk", "sterk"]
BRANDS = ["Tork", "Katrin", "Esselte", "Pilot", "BIC", "Staedtler", "Leitz", "Friele", "Lano", "Jordan", "Kontorhuset"]
QUERIES: dict[str, list[str]] = {
    "typical": ["kopipapir", "kulepenn blå", "toalettpapir", "papir", "hansker", "søppelsekk stor"],
    "typo": ["kopipapr", "kulepen", "toalettpapri", "hanskr", "soppelsekk", "stiftemasin"],
    "number": ["SKU-0000042", "SKU-0004711", "GTIN", "sku-0000999"],
    "zero": ["laminatorlommer", "xyzzyq", "ståldunk med lokk", "helikopter"],
}


def _fix_queries() -> None:
    QUERIES["number"] = [q if q != "GTIN" else _gtin(7000000000000 // 10 + 40) for q in QUERIES["number"]]


def write_csv(path: Path, n: int, seed: int = 5) -> None:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("supplier_item_id;name;description;unspsc;unit;price;gtin;brand;keywords\n")
        for i in range(n):
            noun = rnd.choice(NOUNS)
            name = f"{noun.capitalize()} {rnd.choice(ADJ)} {rnd.randint(1, 500)} {rnd.choice(['stk', 'pk', 'g', 'ml'])}"
            gtin = _gtin(7000000000000 // 10 + i) if i % 10 == 0 else ""
            fh.write(f"SKU-{i:07d};{name};{rnd.choice(ADJ)} {noun} til kontor og skole;"
                     f"{rnd.choice(['14111507', '44121704', '50161509', '47131800'])};EA;"
                     f"{rnd.randint(100, 99999) / 100:.2f};{gtin};{rnd.choice(BRANDS)};{noun}\n")


def _gtin(body: int) -> str:
    digits = f"{body:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def setup_app(url: str):
    from webshop import create_app
    from webshop.config import Config

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=url, SEARCH_INDEX_DIR=tempfile.mkdtemp(prefix="bench-idx-"),
                     WTF_CSRF_ENABLED=False, SECRET_KEY="bench-only-key-0123456789abcdef0123456789",
                     SEARCH_INDEX_WRITER="inline")  # one process and no worker: the import builds the index
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
    return app


def make_world(app):
    from ehf.profiles import Profile
    from webshop.auth.tokens import create_token
    from webshop.catalogue.models import Agreement, Supplier
    from webshop.extensions import db
    from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, Unit, UnitKind, User

    with app.app_context():
        collab = Collaboration(name="Bench")
        db.session.add(collab)
        db.session.flush()
        org = Organisation(collaboration_id=collab.id, key="b", name="Bench kommune", orgnr="938472610")
        db.session.add(org)
        db.session.flush()
        unit = Unit(organisation_id=org.id, key="u", name="U", kind=UnitKind.SCHOOL, street="s", postcode="1234",
                    city="c")
        db.session.add(unit)
        db.session.flush()
        user = User(email="bench@example.no", name="Bench", organisation_id=org.id, password_hash="x")
        user.roles = [RoleAssignment(role=Role.ORDERER, unit_id=unit.id)]
        supplier = Supplier(key="s", name="S", orgnr="918273646", endpoint_id="918273646",
                            profile=Profile.EHF_ORDERING, street="g", postcode="0150", city="Oslo")
        db.session.add_all([user, supplier])
        db.session.flush()
        agreement = Agreement(collaboration_id=collab.id, reference="BENCH-1", title="Bench",
                              supplier_id=supplier.id, valid_from=date(2020, 1, 1), valid_to=date(2099, 1, 1),
                              members=[org])
        db.session.add(agreement)
        db.session.flush()
        _, token = create_token(user, "bench")
        db.session.commit()
        return agreement.id, token


def import_file(app, agreement_id: int, path: Path) -> float:
    from webshop.catalogue.csv_import import iter_file
    from webshop.catalogue.models import Agreement
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db

    with app.app_context():
        started = time.perf_counter()
        import_catalogue(db.session.get(Agreement, agreement_id), iter_file(str(path)))
        db.session.commit()
        return time.perf_counter() - started


def time_queries(app, token: str, rounds: int = 20) -> dict[str, tuple[float, float]]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    out = {}
    for kind, queries in QUERIES.items():
        for q in queries:  # warm up
            client.get("/api/v1/catalogue/search", query_string={"q": q, "limit": 20}, headers=headers)
        times = []
        for _ in range(rounds):
            for q in queries:
                r = client.get("/api/v1/catalogue/search", query_string={"q": q, "limit": 20}, headers=headers)
                assert r.status_code == 200, r.data[:200]
                if kind == "zero":
                    assert r.get_json()["total"] == 0, q
                elif kind in ("typo", "number"):
                    assert r.get_json()["total"] > 0, q
                times.append(float(r.headers["Server-Timing"].split("dur=")[1]))
        times.sort()
        out[kind] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return out


def reset_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--reset-schema", action="store_true")
    args = parser.parse_args()
    _fix_queries()
    for n in [int(s) for s in args.sizes.split(",")]:
        tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
        if args.reset_schema and os.environ.get("DATABASE_URL"):
            reset_schema(url)
        csv = tmp / "items.csv"
        write_csv(csv, n)
        app = setup_app(url)
        agreement_id, token = make_world(app)
        seconds = import_file(app, agreement_id, csv)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>9,} items: import {seconds:6.1f} s (process peak RSS so far {peak:.0f} MB)")
        for kind, (p50, p95) in time_queries(app, token).items():
            print(f"           {kind:8} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
        sys.stdout.flush()
        with app.app_context():
            from webshop.extensions import db

            db.engine.dispose()
        shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
