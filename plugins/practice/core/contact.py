"""The one e-mail pattern and the one phone rule.

The profile's contact details and crisis numbers, the request form's
fields (in Python and, through the form's rules, in the browser) and the
inbox all check addresses and numbers with these.
"""

import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# An optional leading plus, then digits with the usual separators (spaces,
# brackets, hyphens, dots), at least three digits: short numbers such as 988
# or 911 are phone numbers too. The request form's script runs the same
# pattern (a JavaScript RegExp reads it from the form's rules).
PHONE = re.compile(r"^\+?(?:[ ()\-.]*[0-9]){3}[0-9 ()\-.]*$")


def tel_href(number):
    """``tel:`` / ``sms:`` targets keep only digits and a leading plus."""
    number = str(number).strip()
    digits = re.sub(r"[^0-9]", "", number)
    return ("+" if number.startswith("+") else "") + digits
