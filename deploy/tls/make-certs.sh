#!/usr/bin/env bash
# Makes the TLS material of a dtrain cluster with keytool (from the JDK): a CA, and one PKCS12 key
# store per node holding the node's key and a certificate signed by that CA, plus one trust store
# with the CA. Artery's tls-tcp with mutual authentication then admits exactly the nodes whose
# certificates this CA signed.
#
# Usage: deploy/tls/make-certs.sh OUT_DIR NODE [NODE...]
#   NODE is a name, optionally with addresses for the certificate: coordinator:10.0.0.5,host1.example
#   e.g. deploy/tls/make-certs.sh tls coordinator worker1 worker2
#
# Writes OUT_DIR/ca.p12 (keep it private), OUT_DIR/ca.pem, OUT_DIR/truststore.p12,
# OUT_DIR/NODE.p12 for each node, and OUT_DIR/password (mode 600): the one password of every store.
# Pass it to dtrain with --keystore-password-file/--truststore-password-file, or the environment
# variables DTRAIN_KEYSTORE_PASSWORD/DTRAIN_TRUSTSTORE_PASSWORD; never on the command line.
# An existing password file is reused, so nodes can be added later with the same CA.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OUT_DIR NODE[:ADDR,...] [NODE...]" >&2
  exit 2
fi
out=$1; shift
keytool=${JAVA_HOME:+$JAVA_HOME/bin/}keytool
mkdir -p "$out"
umask 077
if [ ! -s "$out/password" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$out/password"
fi
pass=$(cat "$out/password")
days=825

if [ ! -f "$out/ca.p12" ]; then
  "$keytool" -genkeypair -alias ca -keyalg RSA -keysize 3072 -dname "CN=dtrain cluster CA" \
    -ext bc:c -validity 3650 -keystore "$out/ca.p12" -storetype PKCS12 -storepass "$pass" >/dev/null 2>&1
fi
"$keytool" -exportcert -alias ca -keystore "$out/ca.p12" -storepass "$pass" -rfc -file "$out/ca.pem" >/dev/null 2>&1
rm -f "$out/truststore.p12"
"$keytool" -importcert -noprompt -alias ca -file "$out/ca.pem" -keystore "$out/truststore.p12" \
  -storetype PKCS12 -storepass "$pass" >/dev/null 2>&1

for spec in "$@"; do
  node=${spec%%:*}
  san="dns:localhost,ip:127.0.0.1"
  if [ "$spec" != "$node" ]; then
    for a in $(echo "${spec#*:}" | tr ',' ' '); do
      if [[ $a =~ ^[0-9.]+$ ]]; then san="$san,ip:$a"; else san="$san,dns:$a"; fi
    done
  fi
  rm -f "$out/$node.p12"
  "$keytool" -genkeypair -alias node -keyalg RSA -keysize 2048 -dname "CN=$node" -validity $days \
    -keystore "$out/$node.p12" -storetype PKCS12 -storepass "$pass" >/dev/null 2>&1
  "$keytool" -certreq -alias node -keystore "$out/$node.p12" -storepass "$pass" \
    -file "$out/$node.csr" >/dev/null 2>&1
  "$keytool" -gencert -alias ca -keystore "$out/ca.p12" -storepass "$pass" -infile "$out/$node.csr" \
    -outfile "$out/$node.pem" -rfc -validity $days -ext "san=$san" \
    -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth,clientAuth >/dev/null 2>&1
  "$keytool" -importcert -noprompt -alias ca -file "$out/ca.pem" -keystore "$out/$node.p12" \
    -storepass "$pass" >/dev/null 2>&1
  "$keytool" -importcert -alias node -file "$out/$node.pem" -keystore "$out/$node.p12" \
    -storepass "$pass" >/dev/null 2>&1
  rm -f "$out/$node.csr" "$out/$node.pem"
  echo "$out/$node.p12"
done
