"""Gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py`.

Several worker processes, each with a few threads, behind nginx on the same host. nginx buffers
uploads, so a worker is busy only for the time the app needs, not for a learner's slow upload.
"""

import multiprocessing
import os

wsgi_app = "app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 120  # the longest request is a single certificate render or a large streamed export
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, so no slow leak can grow for ever
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"  # nginx, on this host
accesslog = "-"
errorlog = "-"
# Query strings and form bodies are never logged: they can hold personal information.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
