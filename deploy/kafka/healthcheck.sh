#!/usr/bin/env bash
# Kafka's health check in compose and Kubernetes: the broker on 127.0.0.1:${1:-9092} answers an ApiVersions
# request as tools/infra/kafka.ts asks it for `npm start`. Bash's /dev/tcp and coreutils only, no second JVM
# beside the broker (kafka-broker-api-versions.sh starts one, with the broker's heap settings, every time).
set -euo pipefail
exec 3<> "/dev/tcp/127.0.0.1/${1:-9092}"
# size 19 | API key 18 (ApiVersions) | version 0 | correlation id 42 | client id "healthchk" (length 9)
printf '\x00\x00\x00\x13\x00\x12\x00\x00\x00\x00\x00\x2a\x00\x09healthchk' >&3
answer="$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')"
# size (4 bytes), then correlation id 42 and error code 0 (none)
[ "${answer:8:12}" = 0000002a0000 ]
