"""The front door: what a prospective client sees first, on a phone above
all, and the next step offered wherever they decide.

Expected values come from content/practice.yaml as written (read here with
PyYAML), never from the plugin under test. Where a check needs a particular
profile value (a photo, a locale, office hours, brand colours) the test
writes it into a project copy's profile itself, so any practice's own
profile passes.
"""

import datetime
import gzip
import re
import shutil

import pytest
import yaml

from conftest import StaticServer, built_once, copy_project, run_build
from fixturesite import profile
from offerfiles import clear_offers, write_offer
from sitepages import CONTENT, html_files, soup

RAW = yaml.safe_load((CONTENT / "practice.yaml").read_text(encoding="utf-8"))
PHONE = {"width": 375, "height": 812}

# Written here, not looked up in the plugin: how a fee reads on the site.
SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€"}


def fee_text(amount, currency):
    figure = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{SYMBOLS[currency]}{figure}" if currency in SYMBOLS else f"{figure} {currency}"


def fee_of(data, fmt):
    return fee_text(fmt["fee"], data.get("currency", "USD"))


# The tests' own portrait and its description, written into a project copy's
# profile where a check needs a face (a practice may show none).
TEST_PHOTO = "images/a-portrait-of-the-tests.png"
TEST_PHOTO_ALT = "A drawn portrait the tests use, on a light background"


def edit_profile_data(project, change):
    """``change(data)`` applied to the copy's profile, read and written as YAML."""
    path = project / "content" / "practice.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def give_a_photo(project, alt=TEST_PHOTO_ALT):
    """The first clinician gets the tests' portrait (a drawing with a light
    background, as the demo's), described by ``alt`` (None: no alt text)."""
    import subprocess
    import sys

    image = project / "content" / TEST_PHOTO
    image.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "practice.tools.portrait", str(image)], check=True)

    def change(data):
        data["clinicians"][0]["photo"] = TEST_PHOTO
        data["clinicians"][0].pop("photo_alt", None)
        if alt is not None:
            data["clinicians"][0]["photo_alt"] = alt

    edit_profile_data(project, change)


def url_of(site, path):
    rel = path.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def site_pages(site):
    """Every page a visitor can open (not the 404 page's own file)."""
    return [url_of(site, p) for p in html_files(site) if p.name == "index.html"]


# ---- the home page, as built ------------------------------------------------


def test_home_page_leads_with_who_the_practice_helps_a_face_and_the_request(offer_site):
    """On the site built with the tests' portrait in the profile."""
    site = offer_site.site
    raw = profile(site.parent)
    doc = soup(site / "index.html")
    main = doc.find("main")
    h1 = main.find("h1")
    headline = raw.get("headline") or raw["description"]  # without one, the description
    assert " ".join(h1.get_text().split()) == " ".join(headline.split())
    clinician = raw["clinicians"][0]
    assert clinician["photo_alt"] == TEST_PHOTO_ALT
    picture = main.find("picture")
    types = [s["type"] for s in picture.find_all("source")]
    assert types == ["image/avif", "image/webp"]
    img = picture.find("img")
    assert img["alt"] == TEST_PHOTO_ALT
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert img["src"].endswith(".jpg") and " 320w" in img["srcset"]
    assert img.get("loading") != "lazy"  # on the first screen
    text = " ".join(main.get_text(" ").split())
    assert f"{clinician['name']}, {clinician['credentials']}" in text
    # How to start: three steps, the last with the reply time.
    steps = main.select(".steps > li")
    assert len(steps) == 3
    assert raw["intake"]["reply_time"] in " ".join(steps[2].get_text(" ").split())
    # The formats as cards, each with its fee and reply time.
    cards = main.select(".format-card")
    assert len(cards) == len(raw["formats"])
    for card, fmt in zip(cards, raw["formats"]):
        card_text = " ".join(card.get_text(" ").split())
        assert fmt["name"] in card_text and fee_of(raw, fmt) in card_text and fmt["reply"] in card_text
    # The actions, then the latest articles, in that order.
    request = main.find("a", class_="button", string="Request a first session")
    check = main.find("a", class_="secondary", string="Is this right for me?")
    assert request["href"] == "/intake/" and check["href"] == "/eligibility/"
    html = str(main)
    order = [html.find(x) for x in (str(h1), 'class="clinician-card"', 'class="steps"',
                                    'class="format-cards"', 'href="/intake/"', 'class="article-list"')]
    assert -1 not in order and order[:4] == sorted(order[:4]) and order[4] < order[5], order


def test_every_article_ends_with_the_next_step_before_its_comments(site):
    articles = sorted((site / "blog").glob("*/index.html"))
    articles = [a for a in articles if a.parent.name != "page"]
    assert articles
    for path in articles:
        html = path.read_text(encoding="utf-8")
        box = soup(path).find(class_="next-step")
        assert box is not None, path
        assert box.find("a", href="/intake/") and box.find("a", href="/eligibility/")
        assert RAW["intake"]["reply_time"] in " ".join(box.get_text(" ").split())
        assert html.find('class="next-step"') > html.find('class="prose"')
        if 'class="comments' in html:
            assert html.find('class="next-step"') < html.find('class="comments')
    assert soup(site / "crisis" / "index.html").find(class_="next-step") is None


def test_the_may_suit_you_outcome_has_a_primary_button_to_the_request_page(site):
    doc = soup(site / "eligibility" / "index.html")
    suits = [o for o in RAW["eligibility"]["outcomes"]
             if not o.get("crisis") and any(link["url"] == "/intake/" for link in o.get("links", []))]
    assert suits
    for outcome in suits:
        panel = doc.find(attrs={"data-outcome": outcome["name"]})
        button = panel.find("a", href="/intake/")
        assert "button" in button.get("class", []), outcome["name"]
    crisis = doc.find(attrs={"data-outcome": "crisis"})
    assert crisis.find("a", class_="button", href="/intake/") is None


def test_the_thank_you_page_says_what_happens_next_with_the_crisis_strip(site):
    doc = soup(site / "thank-you" / "index.html")
    assert doc.find(class_="crisis-strip").find("a", href="/crisis/")
    text = " ".join(doc.find("main").get_text(" ").split())
    assert RAW["intake"]["reply_time"] in text
    headings = [h.get_text(" ", strip=True).replace("\xa0", " ") for h in doc.find("main").find_all("h2")]
    assert "What happens next" in headings and "While you wait" in headings


def test_services_fees_and_about_open_with_their_key_facts(site):
    for slug in ("services", "fees", "about"):
        html = (site / slug / "index.html").read_text(encoding="utf-8")
        main = html[html.find("<main"):]
        assert 0 < main.find('class="summary"') < main.find('class="prose"'), slug
    fees = soup(site / "fees" / "index.html").find(class_="summary").get_text(" ")
    for fmt in RAW["formats"]:
        assert fee_of(RAW, fmt) in fees


HOURS = [{"days": ["Monday", "Tuesday"], "opens": "09:00", "closes": "18:00"}]


def with_locale(project, locale):
    """The copy's profile with ``locale`` and the tests' office hours."""
    def change(data):
        data["locale"] = locale
        data["office_hours"] = HOURS
    edit_profile_data(project, change)
    result = run_build("pelicanconf.py", project / "out", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


def test_us_practice_pages_say_license_and_use_12_hour_times(project):
    out = with_locale(project, "en-US")
    home = soup(out / "index.html")
    hours = [" ".join(dd.get_text(" ").split()) for dd in home.select("footer .hours dd")]
    assert hours[0] == "9 a.m. – 6 p.m."
    about = soup(out / "about" / "index.html").get_text(" ")
    assert "licence" not in about.lower() and "Licenses held by" in about


def test_heading_text_wraps_evenly_and_anchors_follow_the_words(site):
    css = (site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"h1, h2, h3 \{[^}]*text-wrap: balance", css)
    assert re.search(r"\.heading-wrap > h2,[^{]*\{ display: inline; \}", css)


# ---- bad profile input: one line ---------------------------------------------


def one_line_error(result):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_a_photo_without_alt_text_stops_the_build_with_one_line(project):
    give_a_photo(project, alt=None)
    line = one_line_error(run_build("pelicanconf.py", project / "out", cwd=project))
    assert line.startswith("error: content/practice.yaml: clinicians[0].photo_alt: is required")


def test_a_renamed_photo_is_published_under_its_new_name(project):
    """The same image under a new file name (a practice that renames its
    photo) gets files of the new name, not the cached files of the old."""
    give_a_photo(project)
    assert run_build("pelicanconf.py", project / "out", cwd=project).returncode == 0
    renamed = "images/the-same-portrait-renamed.png"
    shutil.copy(project / "content" / TEST_PHOTO, project / "content" / renamed)
    edit_profile_data(project, lambda data: data["clinicians"][0].update(photo=renamed))
    result = run_build("pelicanconf.py", project / "out", cwd=project)
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (project / "out" / "photos").iterdir()}
    assert {f"the-same-portrait-renamed-160.{ext}" for ext in ("avif", "webp", "jpg")} <= names
    assert any("photos/the-same-portrait-renamed-" in page.read_text(encoding="utf-8")
               for page in (project / "out").rglob("*.html"))


def set_brand(project, **colours):
    edit_profile_data(project, lambda data: data.update(brand=colours))


def test_a_brand_colour_without_enough_contrast_stops_the_build(project):
    set_brand(project, accent="#8fbcb8")
    line = one_line_error(run_build("pelicanconf.py", project / "out", cwd=project))
    assert line.startswith("error: content/practice.yaml: brand.accent: #8fbcb8 has a contrast of")
    assert "light background" in line


@pytest.mark.parametrize("a, b", [
    ("#ffffff", "#000000"), ("#1f5f5b", "#fdfcfa"), ("#7cc7bf", "#141819"), ("#8fbcb8", "#fdfcfa"),
    ("#0a0a0a", "#0b0b0b"), ("#fff", "#777"), ("#c0ffee", "#0c1a19"), ("#6a2c70", "#ffffff"),
])
def test_brand_contrast_is_wcag_contrast_as_a_colour_library_computes_it(a, b):
    from coloraide import Color

    from practice.core import brand

    assert brand.contrast(a, b) == pytest.approx(Color(a).contrast(Color(b), method="wcag21"), abs=1e-3)
    assert brand.contrast(a, b) == brand.contrast(b, a)


def test_brand_contrast_spans_wcags_scale():
    from practice.core import brand

    assert brand.contrast("#ffffff", "#000000") == pytest.approx(21)
    assert brand.contrast("#1f5f5b", "#1f5f5b") == 1
    assert brand.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just short of AA


def test_brand_colours_become_the_sites_custom_properties(project):
    set_brand(project, accent="#6a2c70", accent_dark="#e0b3e6")
    result = run_build("pelicanconf.py", project / "out", cwd=project)
    assert result.returncode == 0, result.stderr
    css = (project / "out" / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    light = css.rindex("--accent: #6a2c70")
    dark = css.rindex("--accent: #e0b3e6")
    assert light < dark and "prefers-color-scheme: dark" in css[light:dark]


def test_a_uk_practice_gets_24_hour_times_and_licence(project):
    out = with_locale(project, "en-GB")
    dd = soup(out / "index.html").select("footer .hours dd")[0]
    assert " ".join(dd.get_text(" ").split()) == "09:00 – 18:00"
    assert "Licences held by" in soup(out / "about" / "index.html").get_text(" ")


# ---- in the browser ------------------------------------------------------------


@pytest.fixture(scope="session")
def offer_site(tmp_path_factory):
    """The project with a long offer running now (at the tests' fixed build
    moment, and in the browser until 2099): the banner at its fullest; the
    first clinician shows the tests' portrait (give_a_photo)."""
    from offerfiles import FIXED_NOW, fixed_clock_settings

    def make(folder):
        project = copy_project(folder / "project")
        give_a_photo(project)
        clear_offers(project)
        write_offer(project, "long-offer", FIXED_NOW - datetime.timedelta(days=1), "2099-12-31 23:59 +00:00",
                    title="Your first video session at a reduced fee, new clients only",
                    Terms="{filename}/pages/fees.md", Dismissible="yes", Format="video", Fee="60")
        out = project / "output"
        result = run_build(fixed_clock_settings(project), out, cwd=project)
        assert result.returncode == 0, result.stderr
        return out

    out = built_once(tmp_path_factory, "front-offer", make)
    with StaticServer(out) as server:
        server.site = out
        yield server


def h1_top_problems(page, origin, urls):
    problems = []
    for url in urls:
        page.goto(origin + url)
        page.wait_for_load_state("load")
        box = page.locator("main h1").first.bounding_box()
        if box is None or box["y"] > PHONE["height"] * 0.25:
            problems.append(f"{url}: h1 at {box and round(box['y'])} px")
    return problems


SITE_URLS = []


@pytest.fixture(scope="session", autouse=True)
def _site_urls(site):
    """Every page of the demo site, for the browser checks below."""
    SITE_URLS[:] = site_pages(site)


@pytest.mark.browser
def test_on_a_phone_every_h1_starts_in_the_top_quarter(browser, offer_site):
    """On every page of the demo, with an offer banner at its longest."""
    urls = site_pages(offer_site.site)
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        problems = h1_top_problems(ctx.new_page(), offer_site.url, urls)
    finally:
        ctx.close()
    assert len(urls) > 15
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_on_a_phone_the_request_and_a_face_are_on_the_first_screen(browser, offer_site):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(offer_site.url + "/")
        banner = page.locator(".offer-banner:not([hidden])")
        assert banner.count() == 1 and banner.is_visible()
        # Compact: at most two lines of text beside an aligned dismiss button.
        box = banner.bounding_box()
        assert box["height"] <= 80, box
        dismiss = banner.locator(".offer-dismiss").bounding_box()
        inner = banner.locator(".offer-banner-inner").bounding_box()
        assert dismiss["x"] + dismiss["width"] <= inner["x"] + inner["width"] + 1
        assert abs((dismiss["y"] + dismiss["height"] / 2) - (inner["y"] + inner["height"] / 2)) <= 2
        request = page.locator("main a[href='/intake/']").first
        r = request.bounding_box()
        assert request.is_visible() and r["y"] + r["height"] <= PHONE["height"], r
        photo = page.locator("main picture img").first
        p = photo.bounding_box()
        assert p["y"] + p["height"] <= PHONE["height"], p
    finally:
        ctx.close()


CLIPPED = """banner => [...banner.querySelectorAll('*')].filter(el => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return box.width > 1 && style.display !== 'none' && !el.closest('.visually-hidden')
      && (el.scrollWidth > el.clientWidth + 1 || style.textOverflow === 'ellipsis');
}).map(el => el.className || el.tagName)"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_the_banner_says_the_whole_offer_and_its_amount(browser, offer_site, width):
    """Nothing of the title is cut off ("Redu… $60"), the amount shows, and
    the banner stays compact with the dismiss button centred beside it."""
    ctx = browser.new_context(viewport={"width": width, "height": PHONE["height"]},
                              is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(offer_site.url + "/")
        banner = page.locator(".offer-banner:not([hidden])")
        title = banner.locator(".offer-banner-title")
        assert " ".join(title.inner_text().split()).endswith(
            "Your first video session at a reduced fee, new clients only")
        price = banner.locator(".offer-banner-price")
        assert price.is_visible() and "60" in price.inner_text()
        assert banner.get_by_role("link", name="Details of the offer").is_visible()
        assert banner.evaluate(CLIPPED) == []
        box = banner.bounding_box()
        assert box["height"] <= 80 + (20 if width < 375 else 0), box
        dismiss = banner.locator(".offer-dismiss").bounding_box()
        text = banner.locator(".offer-banner-text").bounding_box()
        assert dismiss["x"] >= text["x"] + text["width"]  # beside the text, not over it
        assert abs((dismiss["y"] + dismiss["height"] / 2) - (text["y"] + text["height"] / 2)) <= 3
    finally:
        ctx.close()


WORD_LINES = """el => {
  const lines = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.heading-anchor, .visually-hidden, .heading-kicker')) continue;
    const words = /\\S+/g;
    let m;
    while ((m = words.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rect = [...range.getClientRects()].find(r => r.width > 0);
      if (!rect) continue;
      let line = lines.find(l => Math.abs(l.top - rect.top) < rect.height / 2);
      if (!line) { line = {top: rect.top, left: rect.left, right: rect.right, words: []}; lines.push(line); }
      line.left = Math.min(line.left, rect.left);
      line.right = Math.max(line.right, rect.right);
      line.words.push(m[0]);
    }
  }
  return lines.sort((a, b) => a.top - b.top)
    .map(l => ({text: l.words.join(' '), words: l.words.length, width: l.right - l.left}));
}"""


# Each page of the demo visited once per phone width; the tests below read
# what each visit measured (a test that breaks still names its own rule).
PHONE_WIDTHS = {320: 640, 375: PHONE["height"]}
MEASURE = """() => ({
  headings: [...document.querySelectorAll('main h1')].map(WORD_LINES),
  call: (() => {
    const a = document.querySelector("a[href^='tel:']");
    if (!a) return null;
    const r = a.getBoundingClientRect();
    return {width: r.width, height: r.height, in_strip: !!a.closest('.crisis-strip')};
  })(),
  sideways: (SIDEWAYS)(),
})"""
_WALKS = {}


def phone_walk(browser, origin, width):
    """{url: what the page measured} for every page of the demo at ``width``."""
    if (origin, width) not in _WALKS:
        script = MEASURE.replace("WORD_LINES", WORD_LINES).replace("SIDEWAYS", SIDEWAYS)
        ctx = browser.new_context(viewport={"width": width, "height": PHONE_WIDTHS[width]},
                                  is_mobile=True, has_touch=True)
        try:
            page = ctx.new_page()
            walk = {}
            for url in SITE_URLS:
                page.goto(origin + url)
                page.wait_for_load_state("load")
                walk[url] = page.evaluate(script)
        finally:
            ctx.close()
        assert len(walk) > 15
        _WALKS[origin, width] = walk
    return _WALKS[origin, width]


@pytest.mark.browser
@pytest.mark.parametrize("width", sorted(PHONE_WIDTHS))
def test_on_a_phone_page_headings_wrap_evenly_without_a_lone_word(browser, site_server, width):
    """A page heading that wraps does so evenly: no line holds a word alone
    while another is more than twice as long ("Crisis / and emergencies")."""
    problems = []
    for url, seen in phone_walk(browser, site_server.url, width).items():
        for lines in seen["headings"]:
            if len(lines) < 2:
                continue
            longest = max(line["width"] for line in lines)
            if any(line["words"] == 1 and line["width"] < longest / 2 for line in lines):
                problems.append(f"{url}: {' / '.join(line['text'] for line in lines)}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/", "/about/"])
def test_in_the_dark_scheme_the_portrait_sits_on_no_light_box(browser, offer_site, url):
    """Outside the face's circle the page's own dark colour shows, not the
    photo's light background."""
    from io import BytesIO

    from PIL import Image

    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(offer_site.url + url)
        img = page.locator("main picture img").first
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        box = img.bounding_box()
        shot = Image.open(BytesIO(page.screenshot(clip=box))).convert("RGB")
        w, h = shot.size
        for x, y in ((0.1, 0.1), (0.9, 0.1), (0.1, 0.9), (0.9, 0.9)):
            r, g, b = shot.getpixel((int(w * x), int(h * y)))
            assert (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.3, (url, x, y, (r, g, b))
        middle = shot.getpixel((w // 2, h // 2))
        assert max(middle) > 40, middle  # and the photo itself shows
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", sorted(PHONE_WIDTHS))
def test_every_first_call_link_is_at_least_44_px_square(browser, site_server, width):
    """On every page the first phone link is in the crisis strip, the page's
    first thing, and easy to tap."""
    problems = []
    for url, seen in phone_walk(browser, site_server.url, width).items():
        box = seen["call"]
        if box is None or box["width"] < 44 or box["height"] < 44 or not box["in_strip"]:
            problems.append(f"{url}: {box}")
    assert not problems, "\n".join(problems)


SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push('the page: ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || el.closest('[hidden]')) continue;
    const r = el.getBoundingClientRect();
    const scrolls = el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(style.overflowX);
    if (scrolls || (r.width > 0 && r.right > width + 1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className + ': ' + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", sorted(PHONE_WIDTHS))
def test_on_a_phone_nothing_in_main_scrolls_sideways_on_any_page(browser, site_server, width):
    problems = [f"{url}: {seen['sideways']}"
                for url, seen in phone_walk(browser, site_server.url, width).items() if seen["sideways"]]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_menu_opens_and_every_link_in_it_works_without_javascript(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/blog/")
        menu = page.locator("details.menu")
        links = menu.locator("nav a")
        assert not links.first.is_visible()
        menu.get_by_text("Menu").click()
        assert links.count() >= 6
        hrefs = []
        for i in range(links.count()):
            assert links.nth(i).is_visible()
            hrefs.append(links.nth(i).get_attribute("href"))
        assert "/intake/" in hrefs and "/eligibility/" in hrefs
        assert menu.get_by_role("search").get_by_role("searchbox").is_visible()
        for href in hrefs:
            page.goto(site_server.url + "/blog/")
            page.locator("details.menu summary").click()
            page.locator(f"details.menu nav a[href='{href}']").click()
            page.wait_for_load_state("load")
            assert page.url == site_server.url + href
            assert page.locator("main h1").count() == 1
    finally:
        ctx.close()


@pytest.mark.browser
def test_on_a_wide_screen_the_header_is_one_row(browser, site_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = ctx.new_page()
        for url in ("/", "/blog/", "/about/"):
            page.goto(site_server.url + url)
            boxes = [page.locator(sel).bounding_box()
                     for sel in (".site-name", ".site-nav", ".header-cta")]
            assert all(boxes), url
            middles = [b["y"] + b["height"] / 2 for b in boxes]
            assert max(middles) - min(middles) <= 2, (url, boxes)
            assert page.locator(".site-name").bounding_box()["height"] < 50
            assert not page.locator("details.menu").is_visible()
    finally:
        ctx.close()


@pytest.mark.browser
def test_an_article_is_small_and_the_photo_is_a_small_avif(browser, offer_site):
    site_server, site = offer_site, offer_site.site
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        page = ctx.new_page()
        requests = []
        page.on("requestfinished", lambda r: requests.append(r.url))
        article = [u for u in site_pages(site) if u.startswith("/blog/") and "/page/" not in u and u != "/blog/"][0]
        page.goto(site_server.url + article)
        page.wait_for_load_state("load")
        local = [u for u in requests if u.startswith(site_server.url)]
        assert len(local) <= 5, local
        total = 0
        for url in local:
            path = url[len(site_server.url):].split("#")[0]
            file = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
            total += len(gzip.compress(file.read_bytes(), 9))
        assert total <= 25 * 1024, total
        # The home page's photo, at phone width: AVIF, at most 40 KB.
        requests.clear()
        page.goto(site_server.url + "/")
        page.wait_for_load_state("load")
        photos = [u for u in requests if "/photos/" in u]
        assert len(photos) == 1 and photos[0].endswith(".avif"), photos
        size = (site / photos[0][len(site_server.url) + 1:]).stat().st_size
        assert size <= 40 * 1024, size
    finally:
        ctx.close()


# The pages a newcomer opens first, as every practice has them.
FIRST_SCREENS = ("/", "/about/", "/services/", "/fees/", "/blog/")

LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_do_not_shift_while_they_load(browser, offer_site, width):
    ctx = browser.new_context(viewport={"width": width, "height": 812})
    try:
        page = ctx.new_page()
        shifts = {}
        for url in FIRST_SCREENS:
            page.goto(offer_site.url + url)
            page.wait_for_load_state("load")
            shifts[url] = page.evaluate(LAYOUT_SHIFT)
    finally:
        ctx.close()
    assert all(value == 0 for value in shifts.values()), shifts


FIRST_PAINT = """() => new Promise(resolve => requestAnimationFrame(() => setTimeout(() => {
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  resolve([paint ? paint.startTime : null, nav.domInteractive]);
}, 50)))"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_a_page_is_first_painted_once_it_has_been_read_whole(browser, offer_site, width):
    """On a slow phone a browser may paint the top of a page it is still
    reading, then move what it painted as the rest arrives (the menu button
    before its label, the face before the words beside it). With the CPU
    slowed four times, as on a modest phone, no page is painted before the
    browser has read all of it (domInteractive)."""
    ctx = browser.new_context(viewport={"width": width, "height": 812})
    try:
        page = ctx.new_page()
        ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        early = {}
        for url in FIRST_SCREENS:
            page.goto(offer_site.url + url)
            page.wait_for_load_state("load")
            painted, read = page.evaluate(FIRST_PAINT)
            if painted is None or painted < read:
                early[url] = (painted, read)
    finally:
        ctx.close()
    assert not early, f"painted (ms) before the page was read whole (ms): {early}"


def path_to_request_outcome():
    """Answers (question id, value) from the start to the first outcome that
    is not a crisis and links the request page, from the profile as written."""
    rules = RAW["eligibility"]
    wanted = {o["name"] for o in rules["outcomes"]
              if not o.get("crisis") and any(link["url"] == "/intake/" for link in o.get("links", []))}
    questions = {q["id"]: q for q in rules["questions"]}
    queue, seen = [(rules["start"], [])], set()
    while queue:
        qid, path = queue.pop(0)
        if qid in seen:
            continue
        seen.add(qid)
        for option in questions[qid]["options"]:
            if "states" in option:
                value = option["states"][0]
            else:
                value = option.get("value") or str(option["label"]).lower()
            step = path + [(qid, value)]
            if option["next"] in wanted:
                return step
            if option["next"] in questions:
                queue.append((option["next"], step))
    return []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_may_suit_you_outcome_is_accessible_and_leads_to_the_request(browser, site_server, scheme, width):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                              reduced_motion="reduce")
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/eligibility/")
        steps = path_to_request_outcome()
        assert steps
        for question, value in steps:
            page.check(f'input[name="{question}"][value="{value}"]')
        outcome = page.locator("[data-outcome]:not([hidden])")
        assert outcome.count() == 1
        button = outcome.locator("a.button[href='/intake/']")
        assert button.is_visible()
        box = button.bounding_box()
        assert box["height"] >= 44
        violations = Axe().run(page).response["violations"]
    finally:
        ctx.close()
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_one_apostrophe_style_on_every_page(site):
    """Curly, as typogrify writes them in articles, also in the text that
    comes from the profile and the templates."""
    straight = re.compile(r"\w'\w")
    found = []
    for path in html_files(site):
        doc = soup(path)
        for tag in doc(["script", "style", "code", "pre", "kbd"]):
            tag.decompose()
        for text in doc.find_all(string=straight):
            found.append(f"{path.relative_to(site)}: {text.strip()[:60]}")
    assert not found, "\n".join(found[:20])


@pytest.mark.browser
def test_escape_closes_the_menu_and_returns_to_its_button(browser, site_server):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(site_server.url + "/about/")
        page.locator("details.menu summary").click()
        page.locator("details.menu nav a").first.focus()
        page.keyboard.press("Escape")
        assert page.evaluate("!document.querySelector('details.menu').open")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    finally:
        ctx.close()
