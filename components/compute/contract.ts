// How other services reach the compute layer: Trino's name, ports and the CA its in-cluster HTTPS
// port is signed by (clients mount it from a Secret in their own namespace), and Spark Connect's
// name and port. Consumers (Superset, JupyterHub, MCP, Airflow) derive their settings from these.
export { TRINO_PORTS, TRINO_SERVICE } from './trino/names';
export { TRINO_CA_KEY, trinoCaSecret } from './trino/tls';
export { SPARK_PORTS } from './spark/config';
export { SPARK_SERVICE } from './spark/spark';
