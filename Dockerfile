# syntax=docker/dockerfile:1
# Agora in a container: built from source with the toolchain CI uses, run as an
# unprivileged user on a small Debian image. Everything the server serves (design system,
# fonts for the PDFs, templates, geography) is inside the binary; only the data directory
# (SQLite file, secrets, search index, mail files) lives outside it, on a volume.
#
#   docker build -t agora .
#   docker run --rm -p 8080:8080 -v agora-data:/var/lib/agora \
#     -e AGORA_MAIL__BASE_URL=http://localhost:8080 agora

# The locked dependencies need Rust 1.94 or later (sqlx); 1.95 is what CI builds with.
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /build
COPY . .
# Cache mounts keep the registry and the compiled dependencies between builds; the binary
# is copied out of the cached target directory.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked -p agora --bin agora \
    && install -D -m 0755 target/release/agora /out/agora

FROM debian:bookworm-slim
# ca-certificates: the SMTP relay and partners' webhooks over TLS. Nothing else: the
# binary links only glibc and libgcc (SQLite is compiled in).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311* \
    && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid, so that a volume's ownership means the same thing on every host.
RUN groupadd --system --gid 10001 agora \
    && useradd --system --uid 10001 --gid agora --home-dir /var/lib/agora --no-create-home \
       --shell /usr/sbin/nologin agora \
    && install -d -o agora -g agora -m 0750 /var/lib/agora
COPY --from=builder /out/agora /usr/local/bin/agora

# Listen on every interface of the container, keep data on the volume, log JSON lines
# for the collector.
ENV AGORA_BIND=0.0.0.0:8080 \
    AGORA_DATA_DIR=/var/lib/agora \
    AGORA_LOG__FORMAT=json

USER 10001:10001
WORKDIR /var/lib/agora
VOLUME ["/var/lib/agora"]
EXPOSE 8080
# No curl in the image: the binary asks itself (GET /ready on the bound port).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["agora", "healthcheck"]
# SIGTERM: stop accepting, finish the requests in flight, exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["agora"]
CMD ["serve"]
