// The init container that fetches pinned, checksum-verified jars into the `jars` volume: Spark's
// pods and the history server run the same one, each with its own jar list.
import type { ComponentSizing } from '../../platform/service';
import { JARS_DIR, SPARK_HOME } from './config';
import { FETCH_SCRIPT, HADOOP_VERSION, MavenJar, repositoryPath } from './jars';

const FETCH_SIZING: ComponentSizing = { replicas: 1, cpu: '50m', memory: '64Mi', cpuLimit: '1', memoryLimit: '128Mi' };

/** `confDir` is where the volume holding the fetch script is mounted. */
export function fetchJarsContainer(repository: string, confDir: string, jars: MavenJar[]) {
  return {
    name: 'fetch-jars',
    image: 'spark' as const,
    command: ['/bin/bash', `${confDir}/${FETCH_SCRIPT}`, ...jars.map(repositoryPath)],
    env: [
      { name: 'SPARK_HOME', value: SPARK_HOME },
      { name: 'MAVEN_REPOSITORY', value: repository },
      { name: 'JARS_DIR', value: JARS_DIR },
      { name: 'HADOOP_VERSION', value: HADOOP_VERSION },
    ],
    volumeMounts: [
      { name: 'jars', mountPath: JARS_DIR },
      { name: 'config', mountPath: confDir, readOnly: true },
    ],
    sizing: FETCH_SIZING,
  };
}
