"""hojorel - the harness and load client of the reliability tests
(tests/reliability/crash, rush, servers; docs/reliability.md).

Python 3's standard library only: http.client with one keep-alive
connection per thread and per address, threads for concurrency.

  Server       'hojo serve' started on a fixed loopback port (so that a
               restart after kill -9 answers on the same address), on a
               store URL (sqlite:PATH or postgres:CONNINFO); snapshot()
               runs it from a copy of the binary and the rulebook
  PgCluster    a throwaway PostgreSQL through tools/pg-cluster
  HAProxy      Debian's haproxy in front of several servers
  make_staff   the secretariat: an administrator made with 'hojo admin
               create-admin', given the staff role; create_call and
               set_close make and move the call
  signup       one signed-up account (a Client with its session cookie
               and CSRF token) that may own many applications
  Job          one application's journey: company, application, draft
               saves, one attachment of random bytes (its SHA-256 known
               here), submit with an Idempotency-Key; every step is
               retried after a connection error or a 502/503/504, the
               submit always with the SAME key, and every receipt
               received is recorded
  Rush         drafts saved and submitted by many threads until just
               before a call's close
  verify_receipts  every receipt read back and verified
  ok, summary  each check printed; the closing line "N passed, N failed"

Every request's timing and status is kept (Stats) for throughput and
latency percentiles.
"""
import hashlib, http.client, json, os, random, re, shutil, signal, socket, subprocess, tempfile
import threading, time, uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOJO = os.path.abspath(os.environ.get("HOJO_BIN", os.path.join(ROOT, "build", "hojo")))
PG_CLUSTER = os.path.join(ROOT, "tools", "pg-cluster")
PASSWORD = "rel-Passw0rd-1234"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# ---- checks -------------------------------------------------------------

_passed = 0
_failed = 0


def ok(cond, what):
    """Count one check; print it (PASS/FAIL) so the script shows its checks."""
    global _passed, _failed
    if cond:
        _passed += 1
        print("ok:", what, flush=True)
    else:
        _failed += 1
        print("FAIL:", what, flush=True)
    return bool(cond)


def summary():
    print("%d passed, %d failed" % (_passed, _failed), flush=True)
    return 1 if _failed else 0


def note(*a):
    print("#", *a, flush=True)


def env_int(name, default):
    v = os.environ.get(name)
    return int(v) if v and v.strip().isdigit() else default


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def tmpdir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o755)
    return d


# ---- HTTP ---------------------------------------------------------------

class ConnError(Exception):
    """The connection failed before a whole answer arrived."""


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except Exception:
            return None

    def error_type(self):
        j = self.json()
        try:
            return j["errors"][0]["type"]
        except Exception:
            return None

    def error_message(self):
        j = self.json()
        try:
            return j["errors"][0]["message"]
        except Exception:
            return ""

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Stats:
    """Every request: (operation, start, end, status); thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []

    def add(self, op, t0, t1, status):
        with self.lock:
            self.rows.append((op, t0, t1, status))

    def select(self, op=None, since=None, until=None):
        with self.lock:
            rows = list(self.rows)
        return [r for r in rows if (op is None or r[0] == op) and (since is None or r[1] >= since)
                and (until is None or r[2] <= until)]


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


_local = threading.local()


def request(base, method, path, body=None, headers=None, stats=None, op=None, timeout=30):
    """One request on this thread's keep-alive connection to base
    ("host:port"). Returns a Reply; raises ConnError when the connection
    breaks (the connection is then dropped and the next call opens a new
    one). Never retries by itself: the caller decides what may be sent
    again."""
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    c = conns.get(base)
    if c is None:
        host, port = base.rsplit(":", 1)
        c = conns[base] = http.client.HTTPConnection(host, int(port), timeout=timeout)
    h = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        h.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        body = body.encode("utf-8")
    t0 = time.time()
    try:
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        rh = {k.lower(): v for k, v in r.getheaders()}
        if rh.get("connection", "").lower() == "close":
            c.close()
            conns.pop(base, None)
    except (OSError, http.client.HTTPException) as e:
        c.close()
        conns.pop(base, None)
        if stats is not None:
            stats.add(op or method, t0, time.time(), 0)
        raise ConnError(str(e) or type(e).__name__)
    if stats is not None:
        stats.add(op or method, t0, time.time(), r.status)
    return Reply(r.status, rh, data)


def close_connections():
    for c in (getattr(_local, "conns", None) or {}).values():
        c.close()
    _local.conns = {}


# ---- servers ------------------------------------------------------------

class Server:
    """One 'hojo serve' on a fixed loopback port and a store URL. Each
    start writes its own log file; started() checks that it answered
    /healthz and wrote no error at start."""

    def __init__(self, db, workdir, port=None, threads=None, name="s"):
        self.db = db
        self.workdir = workdir
        self.port = port or free_port()
        self.threads = threads or env_int("HOJO_REL_THREADS", 4)
        self.name = name
        self.p = None
        self.starts = 0
        self.logs = []
        self.start_times = []  # seconds from exec to the first /healthz 200, per start

    @property
    def base(self):
        return "127.0.0.1:%d" % self.port

    def start(self, timeout=30):
        """Start and wait until /healthz answers 200; returns the seconds it took, or None."""
        self.starts += 1
        log = os.path.join(self.workdir, "%s-%d.log" % (self.name, self.starts))
        self.logs.append(log)
        env = dict(os.environ, HOJO_THREADS=str(self.threads), HOJO_PER_IP="100000",
                   HOJO_MAX_IN_FLIGHT="100000")
        t0 = time.time()
        with open(log, "w") as f:
            args = [HOJO, "serve", "--listen", self.base, "--db", self.db] + (["--rules", RULES] if RULES else [])
            self.p = subprocess.Popen(args,
                                      stdout=f, stderr=subprocess.STDOUT, env=env, cwd=self.workdir)
        while time.time() - t0 < timeout:
            if self.p.poll() is not None:
                return None
            try:
                r = request(self.base, "GET", "/healthz", timeout=5)
                if r.status == 200:
                    self.start_times.append(time.time() - t0)
                    return self.start_times[-1]
            except ConnError:
                pass
            time.sleep(0.05)
        return None

    def log_text(self, i=-1):
        try:
            with open(self.logs[i], encoding="utf-8", errors="replace") as f:
                return f.read()
        except (IndexError, OSError):
            return ""

    def start_errors(self, i=-1):
        """Lines of a start's log that say something went wrong (not the
        request lines 'METHOD PATH STATUS TIMEus')."""
        bad = []
        for line in self.log_text(i).splitlines():
            if re.match(r"^[A-Z]+ /\S* \d{3} \d+us$", line) or line.startswith("hojo serve: http://"):
                continue
            if re.search(r"エラー|できません|error|ERROR|Sanitizer|panic|abort|corrupt|壊れ", line):
                bad.append(line)
        return bad

    def kill9(self):
        if self.p and self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL)
            self.p.wait()

    def stop(self):
        """SIGTERM; the exit status (None when it had to be killed)."""
        if not self.p or self.p.poll() is not None:
            return self.p.returncode if self.p else None
        self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


class PgCluster:
    """A throwaway PostgreSQL (tools/pg-cluster start|stop DIR)."""

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "pg")
        self.conninfo = None

    def start(self):
        r = subprocess.run([PG_CLUSTER, "start", self.dir], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("tools/pg-cluster start: %s %s" % (r.stdout, r.stderr))
        self.conninfo = r.stdout.strip().splitlines()[-1]
        return self.conninfo

    @property
    def url(self):
        return "postgres:" + self.conninfo

    def stop(self):
        subprocess.run([PG_CLUSTER, "stop", self.dir], capture_output=True, timeout=120)

    def query(self, sql):
        """Rows of a query through psql (tab-separated, no headers)."""
        r = subprocess.run(["psql", self.conninfo, "-At", "-F", "\t", "-c", sql], capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines() if line]


def sqlite_query(path, sql):
    import sqlite3
    c = sqlite3.connect(path, timeout=30)
    try:
        return [[str(x) for x in row] for row in c.execute(sql).fetchall()]
    finally:
        c.close()


class HAProxy:
    """Debian's haproxy on a loopback port in front of servers, with a
    health check on /healthz, retries and redispatch."""

    def __init__(self, workdir, servers):
        self.workdir = workdir
        self.servers = servers
        self.port = free_port()
        self.p = None

    @property
    def base(self):
        return "127.0.0.1:%d" % self.port

    def config(self):
        lines = [
            "global",
            "    maxconn 4096",
            "defaults",
            "    mode http",
            "    timeout connect 1s",
            "    timeout client 60s",
            "    timeout server 60s",
            "    timeout http-keep-alive 60s",
            "    option http-keep-alive",
            "    retries 3",
            "    option redispatch 1",
            # L7 retries: a request whose server died before answering goes
            # to the other one (submit is idempotent by its key)
            "    retry-on conn-failure empty-response response-timeout",
            "frontend fe",
            "    bind 127.0.0.1:%d" % self.port,
            "    default_backend be",
            "backend be",
            "    balance roundrobin",
            "    option httpchk GET /healthz",
            "    http-check expect status 200",
            "    default-server inter 300ms fastinter 100ms downinter 300ms fall 2 rise 2",
        ]
        for s in self.servers:
            lines.append("    server %s %s check" % (s.name, s.base))
        return "\n".join(lines) + "\n"

    def start(self, timeout=20):
        cfg = os.path.join(self.workdir, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(self.config())
        self.log = os.path.join(self.workdir, "haproxy.log")
        with open(self.log, "w") as f:
            self.p = subprocess.Popen(["haproxy", "-db", "-f", cfg], stdout=f, stderr=subprocess.STDOUT)
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.p.poll() is not None:
                return False
            try:
                if request(self.base, "GET", "/healthz", timeout=5).status == 200:
                    return True
            except ConnError:
                pass
            time.sleep(0.1)
        return False

    def stop(self):
        if self.p and self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()


# ---- the office and its applicants -----------------------------------------

RETRY_STATUS = (0, 502, 503, 504)
ABORT = threading.Event()  # set when a restart failed: clients stop waiting for the server


def snapshot(workdir):
    """Copy the binary and the rulebook into workdir and use those, so
    that a rebuild or a merge during a long run cannot change the server
    between two of its starts."""
    global HOJO, RULES
    b = os.path.join(workdir, "hojo")
    shutil.copy2(HOJO, b)
    r = os.path.join(workdir, "rules")
    shutil.copytree(os.environ.get("HOJO_RULES") or os.path.join(ROOT, "rules"), r)
    HOJO, RULES = b, r


RULES = None


class Client:
    """Requests of one account against one address, with its session
    cookie and CSRF token. call() retries while the server is down (a
    connection error or 502/503/504) until 'patience' seconds have
    passed; only requests that are safe to send again go through it."""

    def __init__(self, base, stats=None, patience=90):
        self.base = base
        self.stats = stats
        self.cookie = None
        self.csrf = None
        self.patience = patience
        self.retries = 0

    def headers(self, extra=None):
        h = {}
        if self.cookie:
            h["Cookie"] = "hojo_session=" + self.cookie
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        h.update(extra or {})
        return h

    def once(self, method, path, body=None, headers=None, op=None):
        r = request(self.base, method, path, body, self.headers(headers), self.stats, op)
        sc = r.headers.get("set-cookie", "")
        m = re.search(r"hojo_session=([^;]*)", sc)
        if m:
            self.cookie = m.group(1) or None
        return r

    def call(self, method, path, body=None, headers=None, op=None, retry_on=RETRY_STATUS):
        """Send, and send again after a connection error or a status in
        retry_on, until an answer or patience runs out (then the last
        answer, or a Reply with status 0)."""
        t_end = time.time() + self.patience
        delay = 0.05
        while True:
            try:
                r = self.once(method, path, body, headers, op)
                if r.status not in retry_on:
                    return r
            except ConnError:
                r = Reply(0, {}, b"")
            if time.time() > t_end or ABORT.is_set():
                return r
            self.retries += 1
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def take_session(self, r):
        j = r.json() or {}
        self.csrf = j.get("csrf") or self.csrf
        return j.get("account")


def signup(base, email, name, stats=None):
    """A signed-in applicant. A retried sign-up whose first try was
    stored before the server died gets 409: then sign in."""
    c = Client(base, stats)
    r = c.call("POST", "/api/v1/auth/signup", {"email": email, "password": PASSWORD, "name": name},
               op="signup")
    if r.status == 409:
        r = c.call("POST", "/api/v1/auth/signin", {"email": email, "password": PASSWORD}, op="signin")
    if r.status not in (200, 201):
        raise RuntimeError("sign-up %s: %r" % (email, r))
    c.account = c.take_session(r)
    return c


def make_staff(server_db, workdir, base, email="staff@rel.example", stats=None):
    """An administrator from 'hojo admin create-admin' with the staff role
    added through PATCH /api/v1/admin/accounts/{id}; returns its Client."""
    env = dict(os.environ, HOJO_ADMIN_PASSWORD=PASSWORD)
    r = subprocess.run([HOJO, "admin", "create-admin", email, "--name", "事務局 試験", "--db", server_db],
                       input=PASSWORD + "\n", capture_output=True, text=True, env=env, cwd=workdir, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("hojo admin create-admin: %s %s" % (r.stdout, r.stderr))
    c = Client(base, stats)
    r = c.call("POST", "/api/v1/auth/signin", {"email": email, "password": PASSWORD}, op="signin")
    if r.status != 200:
        raise RuntimeError("staff sign-in: %r" % r)
    acc = c.take_session(r)
    roles = sorted(set(acc.get("roles", [])) | {"admin", "staff"})
    r = c.call("PATCH", "/api/v1/admin/accounts/%s" % acc["id"], {"roles": roles}, op="roles")
    if r.status != 200:
        raise RuntimeError("PATCH roles: %r" % r)
    c.account = acc
    return c


def jst(t):
    """An epoch second as JST ISO 8601 (the calls' times in JSON)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+09:00", time.gmtime(t + 9 * 3600))


CALL = {}  # what create_call used (program, edition, frame), for the jobs


def create_call(staff, closes_at, opens_at=None):
    """A call open from opens_at (default: an hour ago) to closes_at
    (epoch seconds) for the frame in tests/reliability/application.json."""
    spec = app_spec()
    body = dict(spec["call"])
    body["opens_at"] = jst(opens_at if opens_at is not None else time.time() - 3600)
    body["closes_at"] = jst(closes_at)
    r = staff.call("POST", "/api/v1/calls", body, op="call")
    if r.status != 201:
        raise RuntimeError("POST /api/v1/calls: %r" % r)
    call = (r.json() or {}).get("call") or r.json()
    CALL.update(call)
    return call


def set_close(staff, call_id, closes_at):
    r = staff.call("PATCH", "/api/v1/calls/%s" % call_id, {"closes_at": jst(closes_at)}, op="call")
    if r.status != 200:
        raise RuntimeError("PATCH /api/v1/calls/%s: %r" % (call_id, r))
    return r.json()


_spec = None


def app_spec():
    """tests/reliability/application.json: the call to create and an
    application's data that passes the engine's check for its frame."""
    global _spec
    if _spec is None:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "application.json"),
                  encoding="utf-8") as f:
            _spec = json.load(f)
    return _spec


def multipart(field_name, filename, data, ctype="application/octet-stream", fields=None):
    boundary = "rel" + uuid.uuid4().hex
    out = []
    for k, v in (fields or {}).items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" %
                    (boundary, k, v)).encode("utf-8"))
    out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n" % (boundary, field_name, filename, ctype)).encode("utf-8"))
    out.append(data)
    out.append(("\r\n--%s--\r\n" % boundary).encode("utf-8"))
    return b"".join(out), "multipart/form-data; boundary=" + boundary


SUBMITS_IN_FLIGHT = [0]  # submits sent and not yet answered (the crash test aims its kills)
_inflight_lock = threading.Lock()


class Job:
    """One application from company to receipt, by one applicant.
    run_to_draft() makes the company, the application, its drafts and its
    attachment; submit() submits it with this job's one Idempotency-Key.
    Every receipt received is appended to self.receipts."""

    def __init__(self, client, index, tag, attach_size=2048):
        self.c = client
        self.i = index
        self.tag = tag
        self.company = None
        self.app = None
        self.version = None
        self.key = str(uuid.uuid4())
        self.data = random.randbytes(attach_size)
        self.sha = hashlib.sha256(self.data).hexdigest()
        self.filename = "evidence-%d.bin" % index
        self.receipts = []   # every receipt body received (normally one, the same on retries)
        self.submit_answers = []  # (status, error type, message, time answered)
        self.replays = 0  # answers marked Idempotent-Replayed: the first try was stored
        self.lost = False  # the first submit's answer was lost on purpose

    def company_name(self):
        return "信頼性試験 %s 第%d社" % (self.tag, self.i)

    def make_company(self):
        name = self.company_name()
        body = dict(app_spec()["company"], name=name)
        while True:
            r = self.c.call("POST", "/api/v1/companies", body, op="company")
            if r.status == 201:
                self.company = ((r.json() or {}).get("company") or {}).get("id")
                return
            if r.status == 0 or r.status >= 500:
                raise RuntimeError("company: %r" % r)
            # an earlier try may have been stored: look for it
            found = self.find_company(name)
            if found:
                self.company = found
                return
            raise RuntimeError("company: %r" % r)

    def find_company(self, name):
        r = self.c.call("GET", "/api/v1/companies", op="companies")
        for co in (r.json() or {}).get("companies", []):
            if co.get("name") == name:
                return co.get("id")
        return None

    def make_application(self):
        spec = app_spec()
        body = {"company": self.company, "call": CALL["id"], "frames": spec["frames"], "data": spec["data"]}
        r = self.c.call("POST", "/api/v1/applications", body, op="create")
        if r.status != 201:
            raise RuntimeError("application: %r" % r)
        a = (r.json() or {}).get("application") or {}
        self.app = a.get("id")
        self.version = a.get("version")

    def save(self, n):
        """One draft save with If-Match; a 409 (our own earlier try was
        stored, or the version moved) takes the current version and saves
        again."""
        spec = app_spec()
        data = json.loads(json.dumps(spec["data"]))
        data.setdefault("applicant", {})["name"] = "%s 保存%d" % (self.company_name(), n)
        for _ in range(10):
            r = self.c.call("PUT", "/api/v1/applications/%s" % self.app, {"data": data},
                            headers={"If-Match": '"%s"' % self.version}, op="save")
            j = r.json() or {}
            if r.status in (200, 409):
                self.version = (j.get("application") or {}).get("version", self.version)
                if r.status == 200:
                    return
                continue
            raise RuntimeError("save: %r" % r)
        raise RuntimeError("save: 409 ten times")

    def attach(self):
        """Upload the attachment once: before sending it again after a
        failure, look whether the first try was stored."""
        body, ctype = multipart("file", self.filename, self.data, fields={"kind": app_spec().get("kind", "other")})
        path = "/api/v1/applications/%s/attachments" % self.app
        for _ in range(20):
            try:
                r = self.c.once("POST", path, body, {"Content-Type": ctype}, op="attach")
                if r.status == 201:
                    return
                if r.status not in RETRY_STATUS:
                    raise RuntimeError("attachment: %r" % r)
            except ConnError:
                pass
            time.sleep(0.2)
            r = self.c.call("GET", path, op="attachments")
            if r.status == 200 and any(a.get("sha256") == self.sha
                                       for a in (r.json() or {}).get("attachments", [])):
                return
        raise RuntimeError("attachment: no answer")

    def run_to_draft(self, saves=2):
        self.make_company()
        self.make_application()
        for n in range(saves):
            self.save(n)
        self.attach()

    def lose_answer(self, path, body):
        """Send the submit on a connection of its own, give the server time
        to answer, and close without reading: a client that lost the answer
        (its network failed). The server has stored the submit; the retry
        with the same key must be answered as a replay, not a second one."""
        raw = json.dumps(body).encode("utf-8")
        h = self.c.headers({"Idempotency-Key": self.key, "Content-Type": "application/json"})
        head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (path, self.c.base, len(raw))
        head += "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n"
        host, port = self.c.base.rsplit(":", 1)
        try:
            with socket.create_connection((host, int(port)), timeout=5) as sk:
                sk.sendall(head.encode("utf-8") + raw)
                time.sleep(0.3)
        except OSError:
            pass
        self.lost = True

    def submit(self, patience=None, lose_first=False):
        """Submit with this job's key, again with the SAME key after a
        connection error or 5xx; returns the final Reply. lose_first: the
        first try's answer is lost (lose_answer)."""
        path = "/api/v1/applications/%s/submit" % self.app
        if patience is not None:
            self.c.patience = patience
        body = app_spec().get("submit", {})
        if lose_first:
            self.lose_answer(path, body)
        with _inflight_lock:
            SUBMITS_IN_FLIGHT[0] += 1
        try:
            r = self.c.call("POST", path, body, headers={"Idempotency-Key": self.key}, op="submit")
        finally:
            with _inflight_lock:
                SUBMITS_IN_FLIGHT[0] -= 1
        self.submit_answers.append((r.status, r.error_type(), r.error_message(), time.time()))
        if r.headers.get("idempotent-replayed") == "true":
            self.replays += 1
        if r.status in (200, 201):
            rc = (r.json() or {}).get("receipt")
            if rc:
                self.receipts.append(rc)
        return r


def run_pool(items, fn, workers):
    """fn(item) on 'workers' threads; returns the exceptions raised (item, exc)."""
    errors = []
    lock = threading.Lock()
    it = iter(items)

    def worker():
        while True:
            with lock:
                try:
                    x = next(it)
                except StopIteration:
                    break
            try:
                fn(x)
            except Exception as e:  # recorded, the test counts it
                with lock:
                    errors.append((x, e))
        close_connections()

    ts = [threading.Thread(target=worker) for _ in range(workers)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors


def verify_receipts(client_of, jobs):
    """For every receipt a job received: GET /api/v1/receipts/{n} gives
    the same snapshot and attachment hashes, and verify says they match
    what is stored. Returns (checked, problems)."""
    problems = []
    checked = 0
    for j in jobs:
        seen = {r.get("number") for r in j.receipts}
        if len(seen) > 1:
            problems.append("application %s got %d different receipts for one key: %s" % (j.app, len(seen), seen))
        for rc in j.receipts[:1]:
            c = client_of(j)
            n = rc.get("number")
            r = c.call("GET", "/api/v1/receipts/%s" % n, op="receipt")
            got = (r.json() or {}).get("receipt") or {}
            if r.status != 200:
                problems.append("receipt %s: GET %d" % (n, r.status))
                continue
            if got.get("snapshot_sha256") != rc.get("snapshot_sha256"):
                problems.append("receipt %s: snapshot %s stored, %s given" %
                                (n, got.get("snapshot_sha256"), rc.get("snapshot_sha256")))
            shas = sorted(a.get("sha256") for a in got.get("attachments", []))
            if shas != [j.sha]:
                problems.append("receipt %s: attachments %s, the client sent %s" % (n, shas, j.sha))
            v = c.call("POST", "/api/v1/receipts/%s/verify" % n, op="verify")
            vj = v.json() or {}
            if v.status != 200 or not receipt_verified(vj):
                problems.append("receipt %s: verify %d %s" % (n, v.status, v.body[:300]))
            checked += 1
    return checked, problems


def receipt_verified(vj):
    """Whether a verify answer says everything matches."""
    if "ok" in vj:
        return vj["ok"] is True
    if "match" in vj:
        return vj["match"] is True
    if "verification" in vj:
        return receipt_verified(vj["verification"])
    return False


# ---- the deadline rush (tests/reliability/rush and servers) -----------------

class Rush:
    """Drafts saved and submitted by 'workers' threads from now until
    'margin' seconds before the call closes at 'close' (epoch seconds):
    each job saves its draft 'saves' times and submits. A job not begun
    by then is left for after the close. Every operation's final answer
    is kept as (op, start, end, status) in self.outcomes; the raw
    attempts (retries included) are in the Stats."""

    def __init__(self, jobs, close, workers, saves=2, margin=1.0):
        self.jobs = jobs
        self.close = close
        self.workers = workers
        self.saves = saves
        self.margin = margin
        self.outcomes = []
        self.lock = threading.Lock()
        self.started = []
        self.failures = []

    def _op(self, op, fn):
        t0 = time.time()
        try:
            r = fn()
            st = r.status if r is not None else 200
        except Exception as e:
            st = 0
            with self.lock:
                self.failures.append("%s: %s" % (op, e))
        with self.lock:
            self.outcomes.append((op, t0, time.time(), st))
        return st

    def run(self):
        it = iter(self.jobs)

        def worker():
            while True:
                with self.lock:
                    if time.time() >= self.close - self.margin:
                        break
                    j = next(it, None)
                    if j is None:
                        break
                    self.started.append(j)
                ok_ = True
                for n in range(self.saves):
                    if self._op("save", lambda: j.save(100 + n)) != 200:
                        ok_ = False
                        break
                if ok_:
                    self._op("submit", lambda: j.submit())
            close_connections()

        self.t0 = time.time()
        ts = [threading.Thread(target=worker) for _ in range(self.workers)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.t1 = time.time()

    def report(self, label):
        """Print throughput and latency; returns the errors answered before the close."""
        before = [o for o in self.outcomes if o[2] < self.close]
        errors = [o for o in before if o[3] not in (200, 201)]
        span = max(1e-9, self.t1 - self.t0)
        for op in ("save", "submit"):
            rows = [o for o in self.outcomes if o[0] == op]
            lat = [(o[2] - o[1]) * 1000 for o in rows]
            note("%s: %-6s %5d in %.1f s = %6.1f/s  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms" %
                 (label, op, len(rows), span, len(rows) / span, percentile(lat, 50), percentile(lat, 99),
                  max(lat) if lat else 0))
        return errors
