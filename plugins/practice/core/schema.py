"""JSON Schema files for editors, generated from the models the build uses.

An editor with YAML support (the YAML language server: VS Code, Neovim,
JetBrains ...) reads ``# yaml-language-server: $schema=...`` on the first
line of ``content/practice.yaml`` and then checks and completes the file as
it is typed, with the same keys, types and sizes the build applies.

    python -m practice.core.schema            # write schema/*.schema.json
    python -m practice.core.schema --check    # exit 1 if they are out of date

A test fails when the committed files differ from what the models give.
"""

import argparse
import json
import sys
from pathlib import Path

from .articles import ArticleMetadata
from .models import Practice
from .offers import OfferMetadata

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FOLDER = "schema"
MODELS = {
    "practice.schema.json": (Practice, "content/practice.yaml: the practice's facts"),
    "offer.schema.json": (OfferMetadata, "The metadata of an offer (content/offers/*.md)"),
    "article.schema.json": (ArticleMetadata, "The metadata of an article or a page"),
}


def schema(model, description):
    body = model.model_json_schema(by_alias=True)
    return {"$schema": DIALECT, "title": body.pop("title", model.__name__),
            "description": description, **body}


def rendered():
    """``{file name: text}`` of every schema file."""
    return {name: json.dumps(schema(model, description), indent=2, ensure_ascii=False) + "\n"
            for name, (model, description) in MODELS.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=FOLDER)
    parser.add_argument("--check", action="store_true", help="only say whether they are current")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    stale = []
    for name, body in rendered().items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == body:
            continue
        stale.append(str(path))
        if not args.check:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python -m practice.core.schema): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
