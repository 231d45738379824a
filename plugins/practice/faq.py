"""Frequently asked questions as structured data (schema.org FAQPage).

A page with ``FAQ: yes`` is a list of questions: each ``##`` heading is a
question, and the text up to the next ``##`` heading is its answer. The
build turns them into FAQPage JSON-LD for the page's head, so the questions
are written once, in Markdown. A heading that is not a question (no "?")
stops the build: search engines would show it as one.
"""

import re

from .core.errors import ContentError
from .core.text import plain

HEADING = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)
# The "link to this section" anchor the reader adds after each heading.
ANCHOR = re.compile(r"<a\b[^>]*\bclass=\"heading-anchor\"[^>]*>.*?</a>", re.S)
TRUE = {"yes", "true", "1"}


def is_faq(page):
    return str(page.metadata.get("faq", "")).strip().lower() in TRUE


def questions(html):
    """``[(question, answer_html), ...]`` from a page's HTML."""
    parts = HEADING.split(ANCHOR.sub("", html or ""))
    return [(" ".join(plain(parts[i]).split()), parts[i + 1].strip())
            for i in range(1, len(parts) - 1, 2)]


def attach(page):
    """Set ``page.faq_jsonld`` for an FAQ page (after its placeholders are filled)."""
    page.faq_jsonld = None
    if not is_faq(page):
        return
    from .core.files import source

    found = questions(page.content)
    if not found:
        raise ContentError(source(page), "FAQ", "the page has no questions: write each as a "
                                                "## heading, with its answer below it")
    entities = []
    for question, answer in found:
        if not question.endswith("?"):
            raise ContentError(source(page), "FAQ", f"the heading {question!r} is not a question "
                                                    "(end it with ?) on an FAQ page")
        text = " ".join(plain(answer).split())
        if not text:
            raise ContentError(source(page), "FAQ", f"the question {question!r} has no answer")
        entities.append({"@type": "Question", "name": question,
                         "acceptedAnswer": {"@type": "Answer", "text": text}})
    page.faq_jsonld = {"@context": "https://schema.org", "@type": "FAQPage",
                       "mainEntity": entities}
