//! The report card's JSON Schema, generated from the types (schema/report.schema.json).

use crate::report::{MultiReport, Report};

/// JSON Schema (draft 2020-12) of a single report card.
pub fn report_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}

/// JSON Schema of the output for several targets.
pub fn multi_report_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(MultiReport)).unwrap_or_default()
}

/// The schema file's content: a single report card, or the multi-target shape.
pub fn report_schema_json() -> String {
    let mut single = report_schema();
    let multi = multi_report_schema();
    if let Some(obj) = single.as_object_mut() {
        obj.insert(
            "$id".into(),
            serde_json::Value::String("https://skillaudit.dev/schema/report.schema.json".into()),
        );
        obj.insert(
            "title".into(),
            serde_json::Value::String("SkillAudit report card".into()),
        );
        // `skillaudit scan --format json` writes one Report for one target, or a MultiReport.
        let defs = obj
            .entry("$defs")
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let (Some(defs), Some(multi_defs)) = (
            defs.as_object_mut(),
            multi.get("$defs").and_then(|d| d.as_object()),
        ) {
            for (k, v) in multi_defs {
                defs.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let mut multi_root = multi.clone();
            if let Some(m) = multi_root.as_object_mut() {
                m.remove("$defs");
                m.remove("$schema");
            }
            defs.insert("MultiReport".into(), multi_root);
        }
    }
    let mut text = serde_json::to_string_pretty(&single).unwrap_or_default();
    text.push('\n');
    text
}
