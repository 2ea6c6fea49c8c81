UNWIND $rows AS row
CREATE (d:Document {store: $store})
SET d += row
