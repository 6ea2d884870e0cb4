# A minimal SkillAudit image: the CLI and git (for git targets), nothing else.
#   docker build -t skillaudit .
#   docker run --rm -v "$PWD:/src:ro" skillaudit scan /src
FROM rust:1.95-slim-bookworm AS build
WORKDIR /build
COPY . .
RUN cargo build --release --locked -p skillaudit-cli

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 skillaudit
COPY --from=build /build/target/release/skillaudit /usr/local/bin/skillaudit
USER skillaudit
WORKDIR /src
ENTRYPOINT ["skillaudit"]
CMD ["--help"]
