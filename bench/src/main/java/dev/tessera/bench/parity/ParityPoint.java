package dev.tessera.bench.parity;

/**
 * One measured point of the parity run: an engine at one knob value on one case.
 *
 * @param data data set name
 * @param n corpus size
 * @param dim vector dimension
 * @param engine row label
 * @param caseName the query case
 * @param knob the accuracy knob's name
 * @param effort its value
 * @param threads client threads searching at once, each issuing every query
 * @param recall recall@10 against the exact oracle of the case (of the first thread's results)
 * @param qps queries per second: all threads' queries over the wall time
 * @param p50Ms median latency, over every thread's queries
 * @param p99Ms 99th percentile latency, over every thread's queries
 * @param buildSeconds build time (create, load, commit or merge)
 * @param buildRate vectors per second of the build
 * @param note empty, or why the row has no numbers
 */
public record ParityPoint(
    String data,
    int n,
    int dim,
    String engine,
    String caseName,
    String knob,
    String effort,
    int threads,
    double recall,
    double qps,
    double p50Ms,
    double p99Ms,
    double buildSeconds,
    double buildRate,
    String note) {}
