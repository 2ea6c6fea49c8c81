MATCH (a:GraphRagAudit {store: $store})
WHERE ($principal IS NULL OR a.principal = $principal) AND ($since IS NULL OR a.at >= $since)
RETURN a.seq, a.at, a.principal, a.action, a.target, a.outcome, a.details
ORDER BY a.seq DESC LIMIT $limit
