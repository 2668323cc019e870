//! The data templates render from: JSON's shape, serialized straight from the context types
//! (by [`serializer`]) into an [`Arena`] that lives as long as one render, with objects as
//! ordered lists of fields whose names are mostly the types' `&'static str` field names.
//!
//! `serde_json::Value` would do, but building one allocates every key and hashes it into an
//! ordered map: for every catalog region that was half of render time. Owned data (strings,
//! lists and field lists each in their own heap block) still spent a fifth of a render in
//! `malloc`, `free` and dropping the trees; in the arena a render's data is a few large
//! blocks, freed at once. The handlebars crate's context goes through [`Data`]'s `Serialize`,
//! which writes what `serde_json::to_value` of the same types would; the `json` helpers write
//! it directly ([`json`]), as serde_json would.

mod json;
mod serializer;

use std::fmt::Write;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

/// Where a render's template data lives: freed in one go when the render ends.
pub type Arena = bumpalo::Bump;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Data<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
    Array(&'a [Data<'a>]),
    /// Field names: struct fields' are `&'static str`s held without copying; map keys are
    /// copied into the arena.
    Object(&'a [(&'a str, Data<'a>)]),
}

impl<'a> Data<'a> {
    /// `value` as data in `arena`. Serializing the context types cannot fail: they are plain
    /// structs, lists, maps with string keys and scalars (a non-finite float becomes null, as
    /// in JSON).
    pub(crate) fn from_serialize<T: Serialize + ?Sized>(arena: &'a Arena, value: &T) -> Data<'a> {
        value
            .serialize(serializer::DataSerializer(arena))
            .expect("template contexts serialize to data")
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("data serializes to JSON")
    }

    /// Truthiness as Handlebars' `#if` sees it (without `includeZero`): false, null, 0 (and
    /// any number that isn't a normal float), "", [] and {} are false.
    pub(crate) fn is_truthy(&self) -> bool {
        match self {
            Data::Null => false,
            Data::Bool(b) => *b,
            Data::Number(n) => n.as_f64().is_some_and(f64::is_normal),
            Data::String(s) => !s.is_empty(),
            Data::Array(items) => !items.is_empty(),
            Data::Object(fields) => !fields.is_empty(),
        }
    }

    /// Writes the value as Handlebars writes `{{value}}`: strings as they are, null as nothing,
    /// arrays as `[a, b]`, objects as `[object]`.
    pub(crate) fn write_plain(&self, out: &mut String) {
        match self {
            Data::Null => {}
            Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Data::Number(n) => write_number(n, out),
            Data::String(s) => out.push_str(s),
            Data::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_plain(out);
                }
                out.push(']');
            }
            Data::Object(_) => out.push_str("[object]"),
        }
    }
}

/// Writes `n` as its `Display` does, which is how both Handlebars and serde_json write a number:
/// integers with `itoa`, floats with `zmij`, the crates serde_json's `Display` calls, without
/// the formatting machinery around them. A render of every region writes a few thousand numbers
/// (the diagram's coordinates are floats), and `write!` cost five times as much. The tests
/// compare the bytes with serde_json's, so a serde_json that changed its writer would show.
pub(crate) fn write_number(n: &Number, out: &mut String) {
    if let Some(u) = n.as_u64() {
        out.push_str(itoa::Buffer::new().format(u));
    } else if let Some(i) = n.as_i64() {
        out.push_str(itoa::Buffer::new().format(i));
    } else if let Some(f) = n.as_f64() {
        // A `Number` holds only finite floats.
        out.push_str(zmij::Buffer::new().format_finite(f));
    } else {
        write!(out, "{n}").expect("writing to a String succeeds");
    }
}

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Null => serializer.serialize_unit(),
            Data::Bool(b) => serializer.serialize_bool(*b),
            Data::Number(n) => n.serialize(serializer),
            Data::String(s) => serializer.serialize_str(s),
            Data::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in *items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Data::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in *fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::json;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        name: String,
        count: u32,
        ratio: f64,
        whole: f64,
        not_a_number: f64,
        negative: i64,
        flag: bool,
        missing: Option<String>,
        present: Option<&'static str>,
        list: Vec<u8>,
        labels: BTreeMap<String, String>,
        kind: Kind,
        nested: Inner,
        json: serde_json::Value,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        CloudRun,
    }

    #[derive(Serialize)]
    struct Inner {
        id: char,
        unit: (),
        pair: (u8, &'static str),
    }

    fn sample() -> Sample {
        Sample {
            name: "a \"b\"\n".into(),
            count: 3,
            ratio: 0.1,
            whole: 120.0,
            not_a_number: f64::NAN,
            negative: -5,
            flag: true,
            missing: None,
            present: Some("x"),
            list: vec![1, 2],
            labels: [
                ("z".to_string(), "1".to_string()),
                ("a".to_string(), "2".to_string()),
            ]
            .into(),
            kind: Kind::CloudRun,
            nested: Inner {
                id: 'é',
                unit: (),
                pair: (7, "seven"),
            },
            json: json!({"b": [1, {"c": null}], "a": 1.5, "b2": "x"}),
        }
    }

    #[test]
    fn data_serializes_as_serde_json_values_do() {
        let arena = Arena::new();
        let data = Data::from_serialize(&arena, &sample());
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(data.to_json(), value);
        // Same bytes, key order included.
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&data).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    #[test]
    fn duplicate_map_keys_keep_the_last_value_in_the_first_place() {
        struct Twice;
        impl Serialize for Twice {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("k", &1)?;
                map.serialize_entry("j", &2)?;
                map.serialize_entry("k", &3)?;
                map.end()
            }
        }
        assert_eq!(
            serde_json::to_string(&Data::from_serialize(&Arena::new(), &Twice)).unwrap(),
            serde_json::to_string(&serde_json::to_value(Twice).unwrap()).unwrap()
        );
    }

    /// Targets override a field of a flattened struct (terraform's `regions[].env`): the later
    /// value takes the earlier one's place, as in serde_json.
    #[test]
    fn a_flattened_field_overridden_keeps_its_place() {
        #[derive(Serialize)]
        struct Inner {
            a: u8,
            b: u8,
            c: u8,
        }
        #[derive(Serialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
            b: &'static str,
        }
        let outer = Outer {
            inner: Inner { a: 1, b: 2, c: 3 },
            b: "two",
        };
        let json = serde_json::to_string(&Data::from_serialize(&Arena::new(), &outer)).unwrap();
        assert_eq!(json, r#"{"a":1,"b":"two","c":3}"#);
        assert_eq!(
            json,
            serde_json::to_string(&serde_json::to_value(&outer).unwrap()).unwrap()
        );
    }

    #[test]
    fn truthiness_and_plain_writing_follow_handlebars() {
        use handlebars::{JsonRender, JsonTruthy};
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(0.0),
            json!(1e-310),
            json!(-2),
            json!(0.5),
            // Floats as the diagram's coordinates are, and the ones formatters disagree on.
            json!(12.5),
            json!(-0.0),
            json!(120.0),
            json!(0.30000000000000004),
            json!(1e21),
            json!(-1.5e-7),
            json!(f64::MAX),
            json!(""),
            json!("x"),
            json!([]),
            json!([1, "a", null, [2]]),
            json!({}),
            json!({"a": 1}),
        ];
        for value in values {
            let arena = Arena::new();
            let data = Data::from_serialize(&arena, &value);
            assert_eq!(data.is_truthy(), value.is_truthy(false), "{value}");
            let mut out = String::new();
            data.write_plain(&mut out);
            assert_eq!(out, value.render(), "{value}");
        }
    }
}
