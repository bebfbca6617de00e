#!/bin/sh
# The tools the test suites run besides the JVM, checked before the tests (Maven's process-test-classes
# phase, profile test-packages in pom.xml; never in dev mode). Every check is a file test, so this takes
# milliseconds when all is there. Missing ones are installed with apt-get when we are root; otherwise the
# script stops with the one apt-get line to run.
set -eu

missing="" packages=""
need() { # $1 = what is missing, $2 = the Debian package that brings it
  missing="$missing $1"
  case " $packages " in *" $2 "*) ;; *) packages="$packages $2" ;; esac
}
# The interop and conformance clients (NodeInteropIT, ConformanceIT) and the console's browser test.
command -v node >/dev/null 2>&1 || need node nodejs
command -v npm >/dev/null 2>&1 || need npm npm
# Headless Chromium for the console's browser test (driven by npm's playwright-core).
[ -x /usr/bin/chromium ] || need /usr/bin/chromium chromium
# kubectl renders the kustomize tree for the manifest tests (KubernetesManifestsTest, MonitoringIT).
command -v kubectl >/dev/null 2>&1 || need kubectl kubernetes-client
# The monitoring overlay's test runs Debian's Prometheus and promtool against a packaged node (MonitoringIT).
command -v promtool >/dev/null 2>&1 || need promtool prometheus
# The cluster and channel tests start their own Redis, Debian's server (ClusterIT, OverridesOrderTest, ...).
[ -x /usr/bin/redis-server ] || need /usr/bin/redis-server redis-server
# The TLS origin tests make their own CA and certificate with openssl (OriginTlsIT).
command -v openssl >/dev/null 2>&1 || need openssl openssl

[ -n "$packages" ] || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need:$missing (Debian packages:$packages); install them and run the tests again." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need:$missing. Install them with this line, then run the tests again:" >&2
  echo "  sudo apt-get install -y$packages" >&2
  exit 1
fi
echo "test-packages: installing what the tests need:$missing (apt-get install$packages)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$packages
