// The jars Spark needs beyond its image, pinned, and the script that fetches them when a pod
// starts: from the configured Maven repository (Maven Central, or the site's mirror without
// internet access), each checked against the SHA-1 the repository publishes beside it, into an
// emptyDir that the JVMs put on their class path in the order listed here.
//
// Versions (each from the upstream build files):
// - Iceberg 1.11.0 builds a runtime for Spark 4.1 on Scala 2.13 (apache/iceberg gradle.properties,
//   knownSparkVersions 3.4,3.5,4.0,4.1); its AWS bundle carries the AWS SDK v2 for S3FileIO.
// - Spark 4.1.2 is built on Hadoop 3.4.2, so hadoop-aws must be 3.4.2 (it uses Hadoop internals);
//   Hadoop 3.4.2 is built and qualified against AWS SDK v2 2.29.52 (HADOOP-19485), the bundle S3A
//   loads. The fetch refuses to run on an image with another Hadoop version.
// The same four jars are what apache/iceberg-python's Spark test image adds (dev/spark/Dockerfile).

export const HADOOP_VERSION = '3.4.2';

export interface MavenJar {
  group: string;
  artifact: string;
  version: string;
  /** Why Spark needs it. */
  purpose: string;
  /** Executors need it too (they read and write table files); otherwise only the driver. */
  executors: boolean;
}

/** In class-path order: the Iceberg AWS bundle's newer SDK classes come before the Hadoop bundle's. */
export const SPARK_JARS: MavenJar[] = [
  {
    group: 'org.apache.iceberg',
    artifact: 'iceberg-spark-runtime-4.1_2.13',
    version: '1.11.0',
    purpose: 'the Iceberg catalog, tables and SQL extensions',
    executors: true,
  },
  {
    group: 'org.apache.iceberg',
    artifact: 'iceberg-aws-bundle',
    version: '1.11.0',
    purpose: 'S3FileIO: table data and metadata on the S3 store',
    executors: true,
  },
  {
    group: 'org.apache.hadoop',
    artifact: 'hadoop-aws',
    version: HADOOP_VERSION,
    purpose: 'S3A: the event log in its bucket',
    executors: false,
  },
  {
    group: 'software.amazon.awssdk',
    artifact: 'bundle',
    version: '2.29.52',
    purpose: 'the AWS SDK S3A is built against',
    executors: false,
  },
];

/** The path of a jar in a Maven repository (the standard layout). */
export const repositoryPath = (jar: MavenJar): string => `${jar.group.replace(/\./g, '/')}/${jar.artifact}/${jar.version}/${fileName(jar)}`;

export const fileName = (jar: MavenJar): string => `${jar.artifact}-${jar.version}.jar`;

export const jarsFor = (role: 'driver' | 'executor'): MavenJar[] => SPARK_JARS.filter((j) => role === 'driver' || j.executors);

/** What reading and writing event logs in a bucket takes (S3A): all the history server adds to its image. */
export const S3A_JARS: MavenJar[] = SPARK_JARS.filter((j) => j.artifact === 'hadoop-aws' || j.group === 'software.amazon.awssdk');

/** The JVM class path entry for a role's jars, explicit and ordered (a `dir/*` wildcard has no defined order). */
export const classPath = (dir: string, role: 'driver' | 'executor'): string =>
  jarsFor(role)
    .map((j) => `${dir}/${fileName(j)}`)
    .join(':');

export const FETCH_SCRIPT = 'fetch-jars.sh';

/**
 * Runs in the Spark image (bash, wget, sha1sum), so it can also check that the image carries the
 * Hadoop version hadoop-aws is pinned to. Arguments: the repository paths of the jars to fetch.
 */
export function fetchJarsScript(): string {
  return `#!/bin/bash
# Fetches pinned jars from the Maven repository in MAVEN_REPOSITORY into JARS_DIR, each verified
# against the SHA-1 the repository publishes beside it. Arguments: repository paths of the jars.
set -euo pipefail
fail() { echo "fetch-jars: $*" >&2; exit 1; }
repo="\${MAVEN_REPOSITORY%/}"
[ -f "$SPARK_HOME/jars/hadoop-client-api-$HADOOP_VERSION.jar" ] ||
  fail "the Spark image does not carry Hadoop $HADOOP_VERSION, which hadoop-aws is pinned to; update components/compute/spark/jars.ts with the image"
for path in "$@"; do
  name="\${path##*/}"
  target="$JARS_DIR/$name"
  # The emptyDir outlives a restart of this container: a verified jar is kept.
  [ -f "$target" ] && continue
  wget -q --tries=5 --waitretry=5 --timeout=60 -O "$target.part" "$repo/$path" || fail "could not download $repo/$path"
  expected="$(wget -q --tries=5 --waitretry=5 --timeout=60 -O - "$repo/$path.sha1" | cut -c1-40)" ||
    fail "could not download $repo/$path.sha1"
  [[ "$expected" =~ ^[0-9a-f]{40}$ ]] || fail "$repo/$path.sha1 holds no SHA-1"
  actual="$(sha1sum "$target.part" | cut -d' ' -f1)"
  if [ "$actual" != "$expected" ]; then
    rm -f "$target.part"
    fail "$name: SHA-1 $actual does not match the repository's $expected"
  fi
  mv "$target.part" "$target"
  echo "fetch-jars: $name verified"
done
`;
}
