-- Prints p50, p95 and p99 latency in milliseconds after a wrk run (wrk's own table has no p95).
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  if summary.errors.status > 0 then io.write(string.format("Non-2xx responses: %d\n", summary.errors.status)) end
end
