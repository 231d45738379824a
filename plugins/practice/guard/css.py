"""Every URL a piece of CSS makes the browser fetch, read with tinycss2.

A CSS tokenizer sees what a browser sees: ``url()`` written with escapes
(``\\75 rl(…)``), comments in odd places, ``@import "…"`` with a bare string,
and the plain strings that ``image-set()`` fetches as images.
"""

import tinycss2

# Functions whose string arguments are URLs the browser fetches.
_URL_FUNCTIONS = {"url", "src"}
_IMAGE_SET = {"image-set", "-webkit-image-set", "image", "-webkit-image"}


def _walk(tokens, urls):
    for token in tokens:
        kind = token.type
        if kind == "url":
            urls.append(token.value)
        elif kind == "function":
            name = token.lower_name
            args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
            if name in _URL_FUNCTIONS:
                if args and args[0].type == "string":
                    urls.append(args[0].value)
            elif name in _IMAGE_SET:
                urls.extend(t.value for t in args if t.type == "string")
            _walk(token.arguments, urls)
        elif kind in ("() block", "[] block", "{} block"):
            _walk(token.content, urls)
        elif kind in ("qualified-rule", "at-rule"):
            if kind == "at-rule" and token.lower_at_keyword == "import":
                first = next((t for t in token.prelude if t.type not in ("whitespace", "comment")), None)
                if first is not None and first.type == "string":
                    urls.append(first.value)
            if kind == "at-rule" and token.lower_at_keyword == "namespace":
                pass  # a namespace name, never fetched
            else:
                _walk(token.prelude, urls)
            _walk(token.content or (), urls)


def stylesheet_urls(text):
    """URLs fetched by a stylesheet (a .css file or a <style> element)."""
    urls = []
    _walk(tinycss2.parse_stylesheet(text, skip_comments=True), urls)
    return [u for u in urls if u]


def declarations_urls(text):
    """URLs fetched by a ``style`` attribute."""
    urls = []
    _walk(tinycss2.parse_component_value_list(text, skip_comments=True), urls)
    return [u for u in urls if u]


# The old name, for callers that scan a stylesheet.
css_urls = stylesheet_urls
