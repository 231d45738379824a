"""The intake inbox: requests from the site's form, stored sealed to the
practice's public key, opened only on the practice's own computer.

    keys.py     the key pair (make inbox-key): sealed boxes, passphrase-protected private key
    service.py  the WSGI service (make inbox, under gunicorn)
    spam.py     honeypot, minimum fill time, rate limit on keyed hashes
    store.py    the sealed records in SQLite (WAL)
    reader.py   make requests: open and print, locally or from a remote inbox
    notify.py   the content-free "a new request arrived" e-mail
    rules.py    the form's rules, from the build's own code
The deployment files (systemd unit, nginx and Caddy) are in the top-level
inbox/ folder; docs/intake.md explains them.
"""
