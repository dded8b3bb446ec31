//! Synthetic OpenAPI documents of a chosen size, shaped like real ones: resources with CRUD
//! operations, object schemas with references, enums, arrays, optional fields and a
//! discriminated union.

use serde_json::{json, Map, Value};

/// A JSON document with `operations` operations and as many component schemas.
pub fn document(operations: usize) -> String {
    let resources = operations.div_ceil(5).max(1);
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for r in 0..resources {
        let name = format!("Resource{r}");
        let other = format!("Resource{}", (r + 1) % resources);
        schemas.insert(
            name.clone(),
            json!({
                "description": format!("A {name}."),
                "type": "object",
                "required": ["id", "name", "kind"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string", "maxLength": 128, "description": "Its name."},
                    "kind": {"type": "string", "enum": ["small", "medium", "large"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "count": {"type": "integer", "format": "int64", "minimum": 0},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "related": {"$ref": format!("#/components/schemas/{other}")},
                    "metadata": {"type": "object", "additionalProperties": true}
                }
            }),
        );
        let variants = [format!("{name}Created"), format!("{name}Deleted")];
        for variant in &variants {
            schemas.insert(
                variant.clone(),
                json!({"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": [variant]},
                    "at": {"type": "string", "format": "date-time"}
                }}),
            );
        }
        schemas.insert(
            format!("{name}Event"),
            json!({
                "oneOf": variants.iter().map(|v| json!({"$ref": format!("#/components/schemas/{v}")})).collect::<Vec<_>>(),
                "discriminator": {"propertyName": "type"}
            }),
        );
        let item = json!({"$ref": format!("#/components/schemas/{name}")});
        let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
        let ok =
            |schema: Value| json!({"description": "OK", "content": {"application/json": {"schema": schema}}});
        let collection = format!("/resources{r}");
        let mut operations_here = Map::new();
        operations_here.insert("get".into(), json!({
            "operationId": format!("list{name}"),
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}],
            "responses": {"200": ok(json!({"type": "array", "items": item}))}
        }));
        operations_here.insert(
            "post".into(),
            json!({
                "operationId": format!("create{name}"),
                "requestBody": {"required": true, "content": {"application/json": {"schema": item}}},
                "responses": {"201": ok(item.clone())}
            }),
        );
        paths.insert(collection.clone(), Value::Object(operations_here));
        paths.insert(format!("{collection}/{{id}}"), json!({
            "get": {"operationId": format!("get{name}"), "parameters": [id], "responses": {"200": ok(item.clone())}},
            "patch": {"operationId": format!("update{name}"), "parameters": [id],
                "requestBody": {"content": {"application/json": {"schema": item}}}, "responses": {"200": ok(item.clone())}},
            "delete": {"operationId": format!("delete{name}"), "parameters": [id], "responses": {"204": {"description": "Gone"}}}
        }));
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas}
    });
    serde_json::to_string_pretty(&document).expect("a JSON value serializes")
}
