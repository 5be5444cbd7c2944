#!/usr/bin/python3
"""A real Django application (Debian's python3-django) whose health view is
behind Django's own login wall, as a site that puts @login_required on
every view, or LoginRequiredMiddleware, has it: GET /health answers 302 to
/accounts/login/?next=/health, whose form answers 200. /public/health is
exempt and answers 200.

Writes the port to the file named by its argument once it listens; serves
until killed."""
import os
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    SECRET_KEY="preflight-test-only",
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    # No database: an anonymous request never reaches one.
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    DATABASES={},
)
django.setup()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def health(request):
    return HttpResponse("ok")


def login_form(request):
    return HttpResponse('<form method="post"><input name="username"><input name="password" type="password"></form>')


urlpatterns = [
    path("accounts/login/", login_form),
    path("health", login_required(health)),
    path("public/health", health),
]


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    port = server.server_address[1]
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
