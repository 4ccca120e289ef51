# syntax=docker/dockerfile:1
# Concurrency Lab in one image: built with Maven on JDK 25, run on JDK 25 with JDK 17 and 21 beside it, so a
# queued run can compare three JDKs out of the box, and with the distribution's CPython (numpy, uvloop, gevent) as
# the second runtime.
#
#   docker build -t conlab .
#   docker run -d --name conlab -p 7070:7070 -v conlab-data:/data conlab
#   docker exec conlab conlab token create --name me --scopes upload,queue,admin
#   docker run -d --name conlab-agent conlab agent --server http://lab:7070 --token clb_… --machine-name box-1
#     (the same image as an agent on another machine: it measures the runs queued for that machine)
#
# DockerfileIT checks what can be checked without a Docker engine: every path copied here exists in the
# build output, and the entry command starts the server with this image's settings.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# The dependencies in a layer of their own: downloaded again only when a pom changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY api/pom.xml api/
COPY bench/pom.xml bench/
COPY db/pom.xml db/
COPY web/pom.xml web/
COPY server/pom.xml server/
RUN ./mvnw -B -ntp -q dependency:go-offline
# The sources: the runnable jar with its lib/ beside it (the tests run in CI: ./mvnw verify).
COPY api/src/ api/src/
COPY bench/src/ bench/src/
COPY db/src/ db/src/
COPY web/src/ web/src/
COPY server/src/ server/src/
# (not offline: go-offline misses a few plugin dependencies, which this step fetches)
RUN ./mvnw -B -ntp -q package -DskipTests

FROM eclipse-temurin:25-jdk
# The other JDKs a run can be measured on, from the official Eclipse Temurin images (JDK 25 is this image's own).
COPY --from=eclipse-temurin:17-jdk /opt/java/openjdk /opt/jdk/17
COPY --from=eclipse-temurin:21-jdk /opt/java/openjdk /opt/jdk/21
# The Python runtimes: the distribution's CPython with numpy, uvloop, gevent and Pillow, for the Python worker's models, and
# PyPy (Ubuntu's universe), which runs the worker's standard-library models.
RUN apt-get update && apt-get install -y --no-install-recommends curl python3 python3-numpy python3-uvloop python3-gevent \
    python3-pil pypy3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --uid 10001 --home-dir /data --no-create-home conlab \
 && mkdir -p /data && chown conlab:conlab /data
COPY --from=build /src/server/target/conlab.jar /opt/conlab/conlab.jar
COPY --from=build /src/server/target/lib/ /opt/conlab/lib/
COPY sample-data/ /opt/conlab/sample-data/
COPY docker/conlab /usr/local/bin/conlab

# Every interface inside the container (publish the port with -p); reading is open, writes need a token, and
# without one the server says how to create it.
ENV CONLAB_HOME=/opt/conlab \
    CONLAB_DATA_DIR=/data \
    CONLAB_BIND=0.0.0.0 \
    CONLAB_PORT=7070 \
    CONLAB_SAMPLE_DATA=/opt/conlab/sample-data \
    CONLAB_JDKS=/opt/jdk/17:/opt/jdk/21 \
    CONLAB_PYTHONS=/usr/bin/python3:/usr/bin/pypy3
USER conlab
WORKDIR /data
VOLUME /data
EXPOSE 7070
# Once a minute (a curl is a few ms of CPU beside a running benchmark).
HEALTHCHECK --interval=60s --timeout=5s --start-period=60s \
  CMD curl -fsS "http://127.0.0.1:${CONLAB_PORT}/api/health" > /dev/null || exit 1
ENTRYPOINT ["conlab"]
CMD ["serve"]
