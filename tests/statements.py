"""Statements used only by the tests to set up and probe the graph."""

CREATE_PROBE = "UNWIND $rows AS row CREATE (:Probe {n: row.n, square: row.n * row.n})"
READ_PROBE = "MATCH (p:Probe {n: $n}) RETURN p.n AS n, p.square AS square"
COUNT_PROBES = "MATCH (p:Probe) RETURN count(p) AS count"
CREATE_CUSTOMER = "CREATE (:Customer {customer_id: $customer_id})"
