// How many training events and initiatives start in each month (YYYY-MM; null for
// those without a start date), per label ($labels: the two labels, so that each node
// is named by its own): the explorer's time slicer. Label scans, not the whole graph.
CALL () {
  MATCH (n:TrainingEvent) RETURN n
  UNION ALL
  MATCH (n:Initiative) RETURN n
}
WITH [label IN labels(n) WHERE label IN $labels][0] AS label,
     CASE WHEN n.start_date IS NULL THEN null ELSE substring(toString(n.start_date), 0, 7) END AS month
RETURN label, month, count(*) AS count
