# The preflight image: nothing but the fully static binary, the CA bundle,
# the three /etc files its C library reads, and the licences. FROM scratch.
#
#   docker build -t preflight .
#
# Then, in any image (Debian, Ubuntu, Alpine, distroless), one line:
#
#   COPY --from=preflight /usr/local/bin/preflight /usr/local/bin/preflight
#
# The build stage runs the repository's own scripts, the ones CI runs
# (scripts/image.sh assembles the same final stage with buildah).
FROM debian:bookworm AS build
WORKDIR /src
COPY . .
RUN scripts/install-deps.sh build && scripts/package.sh

FROM scratch
ARG TARGETARCH=amd64
COPY --from=build /src/dist/rootfs-${TARGETARCH}/ /
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/preflight"]
CMD ["--help"]
