"""The HTTP client and server harness of the authorization matrix
(tests/authz/matrix) and the hostile-input test (tests/http/hostile):
hojo serve on a free loopback port with a temp SQLite store and its own
copy of the rulebook, a cookie jar per person, JSON and raw bodies, the
route table read from server/routes*.c. Python 3 standard library only.
"""
import datetime, http.client, json, os, re, signal, shutil, subprocess, tempfile, time

HOJO = os.path.abspath(os.environ.get("HOJO_BIN", "build/hojo"))
PASSWORD = "correct horse battery 9"
JST = datetime.timezone(datetime.timedelta(hours=9))


def jst(dt):
    return dt.astimezone(JST).isoformat(timespec="seconds")


def routes_from_source(root="."):
    """Every (method, pattern) of the route table srv_routes[] in
    server/routes.c, in table order (the catch-all "/*" included)."""
    text = open(os.path.join(root, "server/routes.c"), encoding="utf-8").read()
    start = text.index("const srv_route srv_routes[] = {")
    end = text.index("};", start)
    block = re.sub(r"/\*.*?\*/", "", text[start:end], flags=re.S)
    return re.findall(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', block)


class Server:
    """hojo serve --listen 127.0.0.1:0 on a store of its own (tmp)."""

    def __init__(self, tmp, env=None):
        self.tmp = tmp
        self.rules = os.path.join(tmp, "rules")
        shutil.copytree("rules", self.rules)
        self.db = "sqlite:%s/hojo.db" % tmp
        self.log = open(os.path.join(tmp, "serve.log"), "w+", errors="replace")
        e = dict(os.environ, HOJO_THREADS="2", HOJO_MAIL_DIR=os.path.join(tmp, "mail"))
        e.update(env or {})
        args = [HOJO, "serve", "--listen", "127.0.0.1:0", "--rules", self.rules, "--db", self.db]
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True, env=e)
        line = ""
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.p.stdout.readline()
            if line or self.p.poll() is not None:
                break
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.log.seek(0)
            raise SystemExit("hojo serve did not start: %r %s" % (line, self.log.read()))
        self.port = int(m.group(1))

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None

    def tail(self, n=3000):
        self.log.seek(0)
        return self.log.read()[-n:]


class Resp:
    def __init__(self, status, headers, content):
        self.status = status
        self.headers = headers
        self.content = content
        self.text = content.decode("utf-8", "replace")
        try:
            self.json = json.loads(content) if content else None
        except ValueError:
            self.json = None

    def err(self, key="type"):
        try:
            return self.json["errors"][0][key]
        except (TypeError, KeyError, IndexError):
            return None


class Client:
    """One person's browser: a cookie jar and the CSRF token."""

    def __init__(self, srv, name="anonymous"):
        self.srv = srv
        self.name = name
        self.cookies = {}
        self.csrf = None
        self.account = None
        self.email = None

    def raw(self, method, target, body=None, headers=None, csrf=True, timeout=30):
        """Send bytes as they are (target is already escaped)."""
        h = dict(headers or {})
        if csrf and self.csrf and method in ("POST", "PUT", "PATCH", "DELETE") and "X-CSRF-Token" not in h:
            h["X-CSRF-Token"] = self.csrf
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=timeout)
        c.putrequest(method, target, skip_accept_encoding=True)
        if isinstance(body, str):
            body = body.encode()
        if body is not None and "Content-Length" not in h:
            h["Content-Length"] = str(len(body))
        for k, v in h.items():
            c.putheader(k, v)
        try:
            c.endheaders(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (413) and closed: read that answer
        r = c.getresponse()
        content = r.read()
        for v in r.headers.get_all("Set-Cookie") or []:
            k, _, rest = v.partition("=")
            if "Max-Age=0" in v:
                self.cookies.pop(k, None)
            else:
                self.cookies[k] = rest.split(";")[0]
        c.close()
        return Resp(r.status, r.headers, content)

    def req(self, method, target, body=None, headers=None, csrf=True):
        """A JSON body (any Python value) or none."""
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        return self.raw(method, target, data, h, csrf)

    def multipart(self, target, files, fields=None, csrf=True):
        """files: [(part name, file name, bytes)]; fields: {name: value}."""
        b = "hojo-authz-boundary"
        parts = []
        for k, v in (fields or {}).items():
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
        for part, fname, content in files:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n" % (b, part, fname)).encode("utf-8", "surrogateescape")
                         + content + b"\r\n")
        body = b"".join(parts) + ("--%s--\r\n" % b).encode()
        return self.raw("POST", target, body, {"Content-Type": "multipart/form-data; boundary=" + b}, csrf)

    def signup(self, email, name):
        r = self.req("POST", "/api/v1/auth/signup", {"email": email, "password": PASSWORD, "name": name})
        if r.status != 201:
            raise SystemExit("signup %s: %s %s" % (email, r.status, r.text[:300]))
        self.csrf, self.account, self.email = r.json["csrf"], r.json["account"], email
        return self

    def signin(self, email, password=PASSWORD):
        r = self.req("POST", "/api/v1/auth/signin", {"email": email, "password": password})
        if r.status != 200:
            raise SystemExit("signin %s: %s %s" % (email, r.status, r.text[:300]))
        self.csrf, self.account, self.email = r.json["csrf"], r.json["account"], email
        return self


def create_admin(srv, email, password):
    env = dict(os.environ, HOJO_ADMIN_PASSWORD=password)
    p = subprocess.run([HOJO, "admin", "create-admin", email, "--db", srv.db], env=env, capture_output=True,
                       timeout=120)
    if p.returncode:
        raise SystemExit("create-admin: %s" % p.stderr.decode()[:300])


# The application every fixture holds: eligible for mono-r5-shoryokuka
# (the same facts as tests/http/intake), and a marker naming the
# fixture so that a leak of its data into another's answer is seen.
SAMPLE = {
    "date": "2024-03-15",
    "applicant": {"name": "株式会社サンプル精機", "legal_form": "company", "industry": "manufacturing",
                  "capital": "1,000万円", "employees": 25, "prefecture": "埼玉県", "revitalization": False,
                  "certifications": {"keiei_kakushin": {"applied": "2023-06-01", "productivity_3pct": True}}},
    "project": {"expenses": "1,500万円", "capex": True, "support_agency": True, "expert": False,
                "labor_saving": True, "high_value": True, "dx_gx": False, "global": False,
                "low_contact": False, "large_wage_raise": False, "it": {"registered_tool": False}},
}


def tempdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
