"""The eligibility check: rules from the ``eligibility`` section of the profile.

The check is a small decision tree. Each question has options; each option
leads (``next``) to another question or to an outcome. Python checks the
tree once, at the start of the build, so that every path through it ends in
an outcome with a next step, and no safety answer can end anywhere but at a
crisis outcome. The page receives the rules as JSON (:func:`rules_json`);
the browser script only follows them. Answers never leave the browser.

Profile format (see docs/profile.md and docs/intake.md)::

    eligibility:
      minimum_age: 18            # may be used as {minimum_age} in any text
      start: safety              # the first question (default: the first listed)
      questions:
        - id: safety
          text: Are you thinking about harming yourself ...?
          hint: optional help text
          options:
            - label: "Yes"
              next: crisis       # a question id or an outcome name
              safety: yes        # must lead to an outcome with crisis: yes
            - states: [IL, WI]   # one option per state, labelled by name
              next: court
      outcomes:
        - name: crisis
          title: Please get help now
          text: ...
          crisis: yes            # shows the crisis lines, before the questions
          links:
            - text: All crisis lines
              url: /crisis/      # a page of this site, or an https:// address
"""

import re

from .checker import IDENTIFIER
from .errors import ContentError
from .intake import internal_links as intake_links
from .states import US_STATES
from .urls import checked_link

QUESTION_KEYS = {"id", "text", "hint", "options"}
OPTION_KEYS = {"label", "value", "next", "safety", "states"}
OUTCOME_KEYS = {"name", "title", "text", "crisis", "links"}
LINK_KEYS = {"text", "url"}


def slug(label):
    return re.sub(r"[^a-z0-9]+", "-", str(label).lower()).strip("-") or "answer"


def load(c, data, profile):
    """Check ``data`` (the raw ``eligibility`` mapping); return it for templates."""
    if data is None:
        c.fail("eligibility", "is required: the rules of the eligibility check")
    c.mapping(data, "eligibility")
    c.unknown_keys(data, {"minimum_age", "start", "questions", "outcomes"}, "eligibility")
    age = c.integer(data, "minimum_age", "eligibility", required=False, default=18, minimum=1)
    if age > 120:
        c.fail("eligibility.minimum_age", f"must be an age in years, not {age}")

    def fill(text):
        return text.replace("{minimum_age}", str(age)) if text else text

    outcomes, names = [], {}
    for field, item in c.items(data, "outcomes", "eligibility"):
        c.mapping(item, field)
        c.unknown_keys(item, OUTCOME_KEYS, field)
        name = c.identifier(item, "name", field, names)
        outcome = {
            "name": name,
            "title": fill(c.text(item, "title", field)),
            "text": fill(c.text(item, "text", field)),
            "crisis": c.boolean(item, "crisis", field, False),
            "links": _links(c, item, field),
        }
        if not outcome["links"] and not outcome["crisis"]:
            c.fail(f"{field}.links", "every outcome needs a next step: at least one link")
        names[name] = field
        outcomes.append(outcome)
    if not any(o["crisis"] for o in outcomes):
        c.fail("eligibility.outcomes", "one outcome must show the crisis lines (crisis: yes)")

    questions, ids = [], {}
    raw_questions = c.items(data, "questions", "eligibility")
    for field, item in raw_questions:
        c.mapping(item, field)
        qid = c.identifier(item, "id", field, ids)
        if qid in names:
            c.fail(f"{field}.id", f"{qid!r} is also the name of an outcome")
        ids[qid] = field

    crisis_names = {o["name"] for o in outcomes if o["crisis"]}
    service_states = set(profile["service_area"]["codes"])
    for field, item in raw_questions:
        c.unknown_keys(item, QUESTION_KEYS, field)
        qid = item["id"]
        options, values = [], set()
        for ofield, opt in c.items(item, "options", field):
            c.mapping(opt, ofield)
            c.unknown_keys(opt, OPTION_KEYS, ofield)
            nxt = c.text(opt, "next", ofield)
            if nxt not in ids and nxt not in names:
                c.fail(f"{ofield}.next", f"{nxt!r} is neither a question id nor an outcome name")
            if nxt == qid:
                c.fail(f"{ofield}.next", f"{nxt!r} leads back to the same question")
            safety = c.boolean(opt, "safety", ofield, False)
            if safety and nxt not in crisis_names:
                c.fail(f"{ofield}.next",
                       f"a safety answer must lead to an outcome with crisis: yes, not {nxt!r}")
            if "states" in opt:
                choices = _state_options(c, opt, ofield, service_states)
            else:
                label = c.text(opt, "label", ofield)
                value = c.text(opt, "value", ofield, required=False) or slug(label)
                if not IDENTIFIER.match(value) and not re.fullmatch(r"[A-Za-z0-9-]+", value):
                    c.fail(f"{ofield}.value", f"{value!r} must be letters, digits and hyphens")
                choices = [(label, value)]
            for label, value in choices:
                if value in values:
                    c.fail(ofield, f"the answer {value!r} is offered twice in this question")
                values.add(value)
                options.append({"label": fill(label), "value": value, "next": nxt,
                                "safety": safety, "field": ofield})
        if len(options) < 2:
            c.fail(f"{field}.options", "a question needs at least two answers")
        questions.append({"id": qid, "text": fill(c.text(item, "text", field)),
                          "hint": fill(c.text(item, "hint", field, required=False)),
                          "options": options})

    start = c.text(data, "start", "eligibility", required=False, default=questions[0]["id"])
    if start not in ids:
        c.fail("eligibility.start", f"{start!r} is not a question id")
    _check_paths(c, questions, ids, names, start)
    if not any(o["safety"] for q in questions for o in q["options"]):
        c.fail("eligibility.questions",
               "no answer is marked safety: yes; the check must ask about safety "
               "and send those answers to the crisis outcome")

    return {
        "minimum_age": age,
        "start": start,
        "questions": questions,
        "outcomes": outcomes,
        # Crisis outcomes are shown above the questions, so that they come first.
        "outcomes_first": [o for o in outcomes if o["crisis"]],
        "outcomes_after": [o for o in outcomes if not o["crisis"]],
        "rules": rules(start, questions, outcomes),
    }


def _links(c, item, field):
    links = []
    for lfield, link in c.items(item, "links", field, required=False):
        c.mapping(link, lfield)
        c.unknown_keys(link, LINK_KEYS, lfield)
        links.append(checked_link(c, link, lfield))
    return links


def _state_options(c, opt, field, service_states):
    states = opt.get("states")
    if not isinstance(states, list) or not states:
        c.fail(f"{field}.states", "must list state codes, for example [IL, WI]")
    if "label" in opt or "value" in opt:
        c.fail(f"{field}.states", "an option with states takes its labels from the state names; "
                                  "remove label and value")
    choices = []
    for i, code in enumerate(states):
        code = str(code).strip().upper()
        if code not in US_STATES:
            c.fail(f"{field}.states[{i}]", f"{code!r} is not a US state code (for example IL)")
        if code not in service_states:
            c.fail(f"{field}.states[{i}]",
                   f"{code} is not in service_area.states, so clients there cannot be seen")
        choices.append((US_STATES[code], code))
    return choices


def _check_paths(c, questions, ids, names, start):
    """Every question is reachable and no path loops: every path ends in an outcome."""
    by_id = {q["id"]: q for q in questions}
    seen = set()

    def walk(qid, trail):
        if qid in seen:
            return
        for opt in by_id[qid]["options"]:
            if opt["next"] in trail or opt["next"] == qid:
                c.fail(f"{opt['field']}.next", f"leads back to the earlier question "
                                                f"{opt['next']!r}: the check would never end")
            if opt["next"] in by_id:
                walk(opt["next"], trail + [qid])
        seen.add(qid)

    walk(start, [])
    for q in questions:
        if q["id"] not in seen:
            c.fail(f"{ids[q['id']]}.id", f"no answer leads to the question {q['id']!r}")


def rules(start, questions, outcomes):
    """What the browser script needs, and nothing else."""
    return {
        "start": start,
        "questions": {q["id"]: {o["value"]: o["next"] for o in q["options"]} for q in questions},
        "outcomes": {o["name"]: {"crisis": o["crisis"]} for o in outcomes},
    }


def paths(eligibility):
    """Every path through the check: ``[([(question, value), ...], outcome), ...]``."""
    by_id = {q["id"]: q for q in eligibility["questions"]}
    found = []

    def walk(qid, answers):
        for opt in by_id[qid]["options"]:
            step = answers + [(qid, opt["value"])]
            if opt["next"] in by_id:
                walk(opt["next"], step)
            else:
                found.append((step, opt["next"]))

    walk(eligibility["start"], [])
    return found


def internal_links(eligibility):
    for outcome in eligibility["outcomes"]:
        for link in outcome["links"]:
            if link["path"]:
                yield link


def check_links(profile, page_urls, file):
    """Links to this site's pages, in outcomes and form fields, must lead somewhere."""
    known = {"/" + url.lstrip("/") for url in page_urls} | {"/"}
    for link in list(internal_links(profile["eligibility"])) + list(intake_links(profile["intake"])):
        path = link["path"].split("#", 1)[0]
        if path not in known:
            raise ContentError(file, link["field"], f"{link['path']!r} is not the address of "
                                                    "any page of this site")
