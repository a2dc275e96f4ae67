// Shared by the Spark and dbt tests: air-gapped stacks name their own mirrors (no default can:
// they are site-specific), inside private ranges.
export const AIRGAPPED_MIRRORS = {
  compute: {
    spark: { jars: { repository: 'https://maven.corp.internal/repository/maven-public', cidrs: ['10.20.0.0/16'] } },
    dbt: { packageIndex: { url: 'https://pypi.corp.internal/simple', cidrs: ['10.20.0.0/16'] } },
  },
};
