"""The shape of ``content/practice.yaml``: every key, its type, its size.

``load_profile`` checks the file against :class:`Practice` first; the
rules between values (a state needs a licensed clinician, every path of
the eligibility check ends in an outcome ...) follow in ``profile.py``,
``eligibility.py`` and ``intake.py``. ``schema/practice.schema.json`` is
generated from these models (``python -m practice.core.schema``).

To add a field to the profile: add it to the model here (with its size),
read it in ``profile.py`` (or the feature's module), run
``python -m practice.core.schema`` and commit the schema.
"""

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from .fields import (FEW, LINE, LONG, MANY, NAME, PARAGRAPH, URL, Shape, YesNo, choice, items,
                     number, text, whole)

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
FIELD_TYPES = ("text", "email", "tel", "textarea", "select", "radios", "checkboxes",
               "acknowledgement")
OPTIONS_FROM = ("service_area", "formats", "office_hours")

Name = text(NAME)
OptionalName = text(NAME, required=False)
Line = text(LINE)
OptionalLine = text(LINE, required=False)
Paragraph = text(PARAGRAPH)
OptionalParagraph = text(PARAGRAPH, required=False)
Url = text(URL)
OptionalUrl = text(URL, required=False)
Email = text(254)
Phone = text(40)
OptionalPhone = text(40, required=False)
Code = text(10)  # a state or country code
Time = text(5, pattern=TIME_PATTERN, example="a time like 09:00 (quote it in YAML)")
OptionalText10 = text(10, required=False)
OptionalText100 = text(100, required=False)
Text20 = text(20)
OptionalText3 = text(3, required=False)
OptionalText30 = text(30, required=False)
Text50 = text(50)
OptionalText50 = text(50, required=False)
Text60 = text(60)
OptionalTextLong = text(LONG, required=False)


def _days(value):
    """``[Monday, Tuesday]`` or ``Monday, Tuesday``."""
    if isinstance(value, str):
        return [day.strip() for day in value.split(",")]
    return value


Days = Annotated[
    list[text(20)], BeforeValidator(_days), Field(min_length=1, max_length=7),
    WithJsonSchema({"anyOf": [
        {"type": "array", "items": {"enum": list(DAYS)}, "minItems": 1, "maxItems": 7},
        {"type": "string", "maxLength": 100},
    ]}),
]


class Address(Shape):
    street: Name
    locality: Name
    region: Name
    postal_code: Text20
    country: Name


class Contact(Shape):
    email: Email
    phone: OptionalPhone = None
    address: Address | None = None


class OfficeHours(Shape):
    days: Days
    opens: Time
    closes: Time


class ServiceArea(Shape):
    country: Code
    states: items(Code, 60, min_items=0) | None = None
    countries: items(Code, 250, min_items=0) | None = None


class Board(Shape):
    """The board that issued a licence (complaints go there)."""

    name: Name
    url: OptionalUrl = None


class Licence(Shape):
    state: Code
    type: Name
    number: Text50
    board: Board | None = None


class Clinician(Shape):
    name: Name
    credentials: Name
    title: Name
    bio: OptionalTextLong = None
    photo_alt: OptionalLine = None
    languages: items(Name, FEW, min_items=0) | None = None
    training: items(Line, FEW, min_items=0) | None = None
    helps_with: items(Line, FEW, min_items=0) | None = None
    licences: items(Licence, 60)
    photo: OptionalLine = None  # a file under content/, e.g. images/portrait.jpg
    photo_alt: OptionalParagraph = None  # required with a photo (profile.py)


class SessionFormat(Shape):
    id: Text50
    name: Name
    description: Paragraph
    fee: number(0, 1_000_000)
    fee_unit: OptionalName = None  # a live format: "per {session.minutes}-minute session"
    reply: Line
    online: YesNo = True
    live: YesNo = True


class CrisisLine(Shape):
    name: Name
    call: OptionalPhone = None
    text: OptionalPhone = None
    keyword: OptionalText30 = None
    chat: OptionalUrl = None
    description: Paragraph
    note: OptionalParagraph = None
    emergency: YesNo = False


class Crisis(Shape):
    country: OptionalText10 = None
    lines: items(CrisisLine, FEW) | None = None


class Link(Shape):
    text: Name
    url: Url


class Option(Shape):
    label: OptionalName = None
    value: OptionalText50 = None
    next: Text50
    safety: YesNo = False
    states: items(Code, 60) | None = None


class Question(Shape):
    id: Text50
    text: Line
    hint: OptionalParagraph = None
    options: items(Option, MANY)


class Outcome(Shape):
    name: Text50
    title: Name
    text: Paragraph
    crisis: YesNo = False
    then: OptionalText50 = None
    then_label: OptionalName = None
    links: items(Link, FEW, min_items=0) | None = None


class Eligibility(Shape):
    minimum_age: whole(1, 120) = 18
    start: OptionalText50 = None
    questions: items(Question, MANY)
    outcomes: items(Outcome, MANY)


def _values(value):
    """``is: phone`` is ``is: [phone]``; each value is text."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value or not all(
            isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip()
            for v in value):
        raise ValueError("must list one or more values of that field, like [phone, text]")
    return value


class RequiredWhen(Shape):
    field: Text50
    is_: Annotated[list[Text50], BeforeValidator(_values), Field(max_length=MANY, alias="is")]


class FieldOption(Shape):
    value: Text50
    label: Name


class FormField(Shape):
    name: Text50
    label: Line
    hint: OptionalParagraph = None
    type: choice(FIELD_TYPES)
    required: YesNo = False
    required_when: RequiredWhen | None = None
    autocomplete: OptionalText100 = None
    maxlength: whole(1, 100_000) | None = None
    options: items(FieldOption, MANY) | None = None
    options_from: choice(OPTIONS_FROM, required=False) = None
    error: OptionalLine = None
    link: Link | None = None


class Intake(Shape):
    endpoint: OptionalUrl = None
    # The practice's public key, base64 (make inbox-key); checked in intake.py.
    public_key: text(60, required=False) = None
    reply_time: Line
    fields: items(FormField, 50)


class Comments(Shape):
    """When reader comments are usually approved, as words that follow
    "usually" ("within two working days")."""

    approval: OptionalLine = None


class Session(Shape):
    minutes: whole(10, 240) = 50
    frequency: OptionalLine = None


class Consultation(Shape):
    minutes: whole(5, 240)
    fee: number(0, 1_000_000) = 0
    by: OptionalName = None


class Payment(Shape):
    methods: items(Name, FEW)
    charged: Line
    hsa_fsa: YesNo = False
    superbills: YesNo = False
    sliding_scale: OptionalParagraph = None
    messaging_includes: OptionalParagraph = None


class Cancellation(Shape):
    """Notice needed, and what a late cancellation and a missed session cost
    (percent of the session fee)."""

    notice_hours: whole(0, 24 * 14)
    late_fee_percent: whole(0, 100)
    no_show_fee_percent: whole(0, 100) | None = None


class PrivacyContact(Shape):
    name: Name
    email: text(254, required=False) = None
    phone: OptionalPhone = None


class Brand(Shape):
    accent: OptionalText10 = None  # "#rrggbb", buttons on light pages
    accent_dark: OptionalText10 = None  # "#rrggbb", the same on dark pages


class Practice(Shape):
    """``content/practice.yaml``: the practice's facts, written once."""

    name: Name
    description: Paragraph
    headline: OptionalLine = None  # the home page's heading
    locale: OptionalText10 = None  # en-US, en-GB ...: 12-hour times, spelling
    brand: Brand | None = None
    timezone: Text60
    currency: OptionalText3 = None
    contact: Contact
    office_hours: items(OfficeHours, FEW)
    service_area: ServiceArea
    clinicians: items(Clinician, 50)
    formats: items(SessionFormat, FEW)
    cancellation: Cancellation | None = None
    crisis: Crisis | None = None
    waiting_time: OptionalLine = None
    session: Session | None = None
    consultation: Consultation | None = None
    payment: Payment | None = None
    privacy_contact: PrivacyContact | None = None
    comments: Comments | None = None
    eligibility: Eligibility
    intake: Intake
