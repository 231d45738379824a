"""Structured data (JSON-LD) for the practice and for articles.

Python builds the objects; templates only serialise them with ``tojson``, so
nothing is ever assembled by string interpolation.
"""

from .core.text import plain


def absolute(siteurl, url):
    return f"{siteurl}/{url}" if url is not None else siteurl or "/"


def practice_jsonld(profile, siteurl):
    contact = profile["contact"]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalBusiness",
        "@id": absolute(siteurl, "#practice"),
        "name": profile["name"],
        "description": profile["description"],
        "url": absolute(siteurl, ""),
        "email": contact["email"],
        "currenciesAccepted": profile["currency"],
        "areaServed": [
            {"@type": "State", "name": s["name"]} for s in profile["service_area"]["states"]
        ],
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": h["days"],
             "opens": h["opens"], "closes": h["closes"]}
            for h in profile["office_hours"]
        ],
        "employee": [
            {"@type": "Person", "name": cl["name"], "honorificSuffix": cl["credentials"],
             "jobTitle": cl["title"]}
            for cl in profile["clinicians"]
        ],
    }
    if contact["phone"]:
        data["telephone"] = contact["phone"]
    if contact["address"]:
        a = contact["address"]
        data["address"] = {
            "@type": "PostalAddress", "streetAddress": a["street"],
            "addressLocality": a["locality"], "addressRegion": a["region"],
            "postalCode": a["postal_code"], "addressCountry": a["country"],
        }
    return data


def article_jsonld(article, profile, siteurl):
    url = absolute(siteurl, article.url)
    clinician = getattr(article, "clinician", None)
    author = {"@type": "Person", "name": str(article.author)}
    if clinician:
        author["honorificSuffix"] = clinician["credentials"]
        author["jobTitle"] = clinician["title"]
    page = url
    reviewer = getattr(article, "reviewer", None)
    reviewed = getattr(article, "reviewed_date", None)
    if reviewer or reviewed:
        # Who checked a health article, and when, are properties of its page.
        page = {"@type": "WebPage", "@id": url}
        if reviewer:
            page["reviewedBy"] = {"@type": "Person", "name": reviewer["name"],
                                  "honorificSuffix": reviewer["credentials"],
                                  "jobTitle": reviewer["title"]}
        if reviewed:
            page["lastReviewed"] = reviewed.isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": plain(article.title),
        "description": plain(getattr(article, "summary", "")),
        "url": url,
        "mainEntityOfPage": page,
        "datePublished": article.date.isoformat(),
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "author": author,
        "publisher": {"@type": "Organization", "name": profile["name"],
                      "@id": absolute(siteurl, "#practice")},
        "keywords": [str(t) for t in getattr(article, "tags", [])],
        "articleSection": str(article.category),
    }
    return data
