"""The generated dispatcher's claim holds on a real PostgreSQL (issue 12), not only in memory.

The Java and Go projects generated from the demo model (payment-service, which consumes
OrderPlaced) run with their SQL idempotency store (Java: ``JdbcIdempotencyStore`` over Debian's
``libpostgresql-jdbc-java``; Go: ``SQLIdempotencyStore`` over ``database/sql`` and Debian's
``golang-github-lib-pq-dev``, built in GOPATH mode, nothing downloaded) against
``DATABASE_URL``: eight threads (goroutines) deliver the same envelope
at once and the handler, which writes a row through the transaction it is given, runs once
(one row); a handler that fails leaves neither its row nor the claim, so the redelivery runs
and writes; a further duplicate does nothing. Runs in production mode (``make test-production``,
PostgreSQL); skipped on the embedded SQLite default, which has no concurrent writers to race.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
JARS = [Path("/usr/share/java") / n for n in (
    "jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar", "postgresql.jar")]

HARNESS = r"""
package com.example.paymentservice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

public final class SqlClaims {
    private SqlClaims() {
    }

    static final class Writing implements Handlers {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;

        @Override
        public void onOrderPlaced(Connection connection, Messages.OrderPlaced message, Envelope envelope) throws Exception {
            calls.incrementAndGet();
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("INSERT INTO codegen_effects (order_id) VALUES ('" + message.orderId() + "')");
            }
            Thread.sleep(200);
            if (failing) {
                throw new IllegalStateException("handler failed");
            }
        }
    }

    static int rows(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }

    static void expect(boolean ok, String what) {
        if (!ok) {
            System.err.println("FAILED: " + what);
            System.exit(1);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS codegen_claims, codegen_effects");
            s.execute("CREATE TABLE codegen_claims (message_id text PRIMARY KEY)");
            s.execute("CREATE TABLE codegen_effects (order_id text)");
        }
        Transactions transactions = () -> {
            Connection c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            return c;
        };
        Writing handlers = new Writing();
        Dispatcher dispatcher = new Dispatcher(handlers, new JdbcIdempotencyStore("codegen_claims"), transactions);
        String data = args[1];
        Envelope envelope = new Envelope("m-1", "order.placed", "1.0", "2025-03-15T14:30:00Z", "order-service", null, Json.parse(data));

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return dispatcher.dispatch(envelope);
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<Object> r : results) {
            r.get();
        }
        pool.shutdown();
        expect(handlers.calls.get() == 1, "8 concurrent deliveries ran the handler " + handlers.calls.get() + " times");
        expect(rows(url, "codegen_effects") == 1, "effects after the concurrent deliveries: " + rows(url, "codegen_effects"));

        Envelope second = new Envelope("m-2", "order.placed", "1.0", "2025-03-15T14:30:00Z", "order-service", null, Json.parse(data));
        handlers.failing = true;
        try {
            dispatcher.dispatch(second);
            expect(false, "the handler's failure was swallowed");
        } catch (IllegalStateException expected) {
            expect("handler failed".equals(expected.getMessage()), "the handler's own failure");
        }
        expect(rows(url, "codegen_claims") == 1, "a failed handler left its claim");
        expect(rows(url, "codegen_effects") == 1, "a failed handler left its write");
        handlers.failing = false;
        dispatcher.dispatch(second);
        dispatcher.dispatch(second);
        expect(handlers.calls.get() == 3, "failed, retried, duplicate: " + handlers.calls.get() + " calls, want 3");
        expect(rows(url, "codegen_effects") == 2, "effects after the retry: " + rows(url, "codegen_effects"));
        expect(rows(url, "codegen_claims") == 2, "claims after the retry");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE codegen_claims, codegen_effects");
        }
        System.out.println("ok");
    }
}
"""


def _jdbc_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL (DATABASE_URL); make test-production runs it")
    u = urlparse(url)
    query = f"user={u.username or 'postgres'}" + (f"&password={u.password}" if u.password else "")
    return f"jdbc:postgresql://{u.hostname or '127.0.0.1'}:{u.port or 5432}{u.path}?{query}"


def test_the_generated_java_dispatcher_handles_a_message_once_on_postgresql(tmp_path: Path) -> None:
    url = _jdbc_url()
    javac, java = shutil.which("javac"), shutil.which("java")
    missing = [str(j) for j in JARS if not j.exists()]
    if javac is None or java is None or missing:
        reason = f"needs a JDK and {', '.join(missing) or 'the jars'} (make toolchains)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    out = tmp_path / "gen"
    subprocess.run([sys.executable, "manage.py", "codegen", str(DEMO), "--lang", "java",
                    "--service", "payment-service", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    package_dir = next(out.rglob("Dispatcher.java")).parent
    (package_dir / "SqlClaims.java").write_text(HARNESS, encoding="utf-8")
    cp = ":".join(str(j) for j in JARS)
    sources = [str(p) for p in out.rglob("*.java") if "src/test" not in str(p)]
    subprocess.run([javac, "-cp", cp, "-d", str(tmp_path / "classes"), *sources], check=True,
                   capture_output=True, timeout=300)
    data = ('{"orderId":"ord_1","userId":"u","userEmail":"user@example.com","items":'
            '[{"productId":"p","quantity":1,"price":1.5}],"total":1.5,"currency":"USD"}')
    proc = subprocess.run([java, "-cp", f"{tmp_path / 'classes'}:{cp}",
                           "com.example.paymentservice.SqlClaims", url, data],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "ok"


GO_HARNESS = r"""
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq"

	svc "example.com/paymentservice"
)

type writing struct {
	svc.TodoHandlers[*sql.Tx]
	calls   atomic.Int32
	failing atomic.Bool
}

func (w *writing) OnOrderPlaced(ctx context.Context, tx *sql.Tx, m svc.OrderPlaced, e svc.Envelope) error {
	w.calls.Add(1)
	if _, err := tx.ExecContext(ctx, "INSERT INTO codegen_effects_go (order_id) VALUES ($1)", m.OrderID); err != nil {
		return err
	}
	time.Sleep(200 * time.Millisecond)
	if w.failing.Load() {
		return errors.New("handler failed")
	}
	return nil
}

func rows(db *sql.DB, table string) int {
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		panic(err)
	}
	return n
}

func expect(ok bool, what string) {
	if !ok {
		fmt.Fprintln(os.Stderr, "FAILED: "+what)
		os.Exit(1)
	}
}

func main() {
	db, err := sql.Open("postgres", os.Args[1])
	if err != nil {
		panic(err)
	}
	for _, q := range []string{"DROP TABLE IF EXISTS codegen_claims_go, codegen_effects_go",
		"CREATE TABLE codegen_claims_go (message_id text PRIMARY KEY)",
		"CREATE TABLE codegen_effects_go (order_id text)"} {
		if _, err := db.Exec(q); err != nil {
			panic(err)
		}
	}
	h := &writing{}
	begin := func(ctx context.Context) (*sql.Tx, error) { return db.BeginTx(ctx, nil) }
	d := svc.NewDispatcher[*sql.Tx](h, svc.SQLIdempotencyStore{Table: "codegen_claims_go"}, begin)
	env := func(id string) svc.Envelope {
		return svc.Envelope{ID: id, Type: "order.placed", Data: []byte(os.Args[2])}
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.Dispatch(context.Background(), env("m-1")); err != nil {
				panic(err)
			}
		}()
	}
	wg.Wait()
	expect(h.calls.Load() == 1, fmt.Sprintf("8 concurrent deliveries ran the handler %d times", h.calls.Load()))
	expect(rows(db, "codegen_effects_go") == 1, "effects after the concurrent deliveries")
	h.failing.Store(true)
	_, err = d.Dispatch(context.Background(), env("m-2"))
	expect(err != nil && err.Error() == "handler failed", fmt.Sprintf("the handler's failure: %v", err))
	expect(rows(db, "codegen_claims_go") == 1, "a failed handler left its claim")
	expect(rows(db, "codegen_effects_go") == 1, "a failed handler left its write")
	h.failing.Store(false)
	for i := 0; i < 2; i++ {
		if _, err := d.Dispatch(context.Background(), env("m-2")); err != nil {
			panic(err)
		}
	}
	expect(h.calls.Load() == 3, fmt.Sprintf("failed, retried, duplicate: %d calls, want 3", h.calls.Load()))
	expect(rows(db, "codegen_effects_go") == 2, "effects after the retry")
	if _, err := db.Exec("DROP TABLE codegen_claims_go, codegen_effects_go"); err != nil {
		panic(err)
	}
	fmt.Println("ok")
}
"""
GOCODE = Path("/usr/share/gocode")


def test_the_generated_go_dispatcher_handles_a_message_once_on_postgresql(tmp_path: Path) -> None:
    url = os.environ.get("DATABASE_URL", "")
    _jdbc_url()  # skips without PostgreSQL
    go = shutil.which("go")
    if go is None or not (GOCODE / "src" / "github.com" / "lib" / "pq").is_dir():
        reason = "needs go and Debian's golang-github-lib-pq-dev (make toolchains)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    gopath = tmp_path / "gopath"
    out = gopath / "src" / "example.com" / "paymentservice"
    subprocess.run([sys.executable, "manage.py", "codegen", str(DEMO), "--lang", "go",
                    "--service", "payment-service", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    (out / "go.mod").unlink()  # GOPATH mode: the driver comes from Debian's /usr/share/gocode
    harness = gopath / "src" / "harness"
    harness.mkdir(parents=True)
    (harness / "main.go").write_text(GO_HARNESS, encoding="utf-8")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": f"{gopath}:{GOCODE}",
           "GOCACHE": str(tmp_path / "gocache"), "GOPROXY": "off", "GOFLAGS": ""}
    u = urlparse(url)
    dsn = (f"postgres://{u.username or 'postgres'}{':' + u.password if u.password else ''}@"
           f"{u.hostname or '127.0.0.1'}:{u.port or 5432}{u.path}?sslmode=disable")
    data = ('{"orderId":"ord_1","userId":"u","userEmail":"user@example.com","items":'
            '[{"productId":"p","quantity":1,"price":1.5}],"total":1.5,"currency":"USD"}')
    proc = subprocess.run([go, "build", "-o", str(tmp_path / "h"), "."], cwd=harness, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([str(tmp_path / "h"), dsn, data], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "ok"
