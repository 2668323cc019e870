//! The data templates render from: JSON's shape, serialized straight from the context types,
//! with objects as ordered lists of fields whose names are mostly the types' `&'static str`
//! field names.
//!
//! `serde_json::Value` would do, but building one allocates every key and hashes it into an
//! ordered map: for every catalog region that was half of render time. Everything that leaves
//! this module as JSON (the handlebars crate's context, the `json` helpers) goes through
//! [`Data`]'s `Serialize`, which writes what `serde_json::to_value` of the same types would.

use std::borrow::Cow;
use std::fmt::{self, Write};

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde_json::Number;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Data {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Data>),
    Object(Vec<(Cow<'static, str>, Data)>),
}

impl Data {
    /// `value` as data. Serializing the context types cannot fail: they are plain structs,
    /// lists, maps with string keys and scalars (a non-finite float becomes null, as in JSON).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Data {
        value
            .serialize(DataSerializer)
            .expect("template contexts serialize to data")
    }

    /// The field `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Data> {
        match self {
            Data::Object(fields) => fields.iter().find_map(|(k, v)| (k == key).then_some(v)),
            _ => None,
        }
    }

    /// The field `key` of an object, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Data> {
        match self {
            Data::Object(fields) => fields.iter_mut().find_map(|(k, v)| (k == key).then_some(v)),
            _ => None,
        }
    }

    /// Sets the field `key` of an object, in place if it exists, else at the end (as
    /// `serde_json::Map::insert` does with preserved order).
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Data) {
        if let Data::Object(fields) = self {
            set_field(fields, key.into(), value);
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Data>> {
        match self {
            Data::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Data>> {
        match self {
            Data::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("data serializes to JSON")
    }

    /// Truthiness as Handlebars' `#if` sees it (without `includeZero`): false, null, 0 (and
    /// any number that isn't a normal float), "", [] and {} are false.
    pub fn is_truthy(&self) -> bool {
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
    pub fn write_plain(&self, out: &mut String) {
        match self {
            Data::Null => {}
            Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Data::Number(n) => write!(out, "{n}").expect("writing to a String succeeds"),
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

/// Sets `key` in place if it is there, else at the end: what `serde_json::Map::insert` does
/// with preserved order (a later duplicate replaces an earlier one where it stood).
fn set_field(fields: &mut Vec<(Cow<'static, str>, Data)>, key: Cow<'static, str>, value: Data) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) => *existing = value,
        None => fields.push((key, value)),
    }
}

/// An object with these fields in this order, for data built by hand.
pub fn object<const N: usize>(fields: [(&'static str, Data); N]) -> Data {
    Data::Object(
        fields
            .into_iter()
            .map(|(key, value)| (Cow::Borrowed(key), value))
            .collect(),
    )
}

impl From<&str> for Data {
    fn from(value: &str) -> Data {
        Data::String(value.to_string())
    }
}

impl From<String> for Data {
    fn from(value: String) -> Data {
        Data::String(value)
    }
}

impl From<u32> for Data {
    fn from(value: u32) -> Data {
        Data::Number(value.into())
    }
}

impl From<bool> for Data {
    fn from(value: bool) -> Data {
        Data::Bool(value)
    }
}

impl<T: Into<Data>> From<Option<T>> for Data {
    fn from(value: Option<T>) -> Data {
        value.map_or(Data::Null, Into::into)
    }
}

impl<T: Into<Data>> From<Vec<T>> for Data {
    fn from(items: Vec<T>) -> Data {
        Data::Array(items.into_iter().map(Into::into).collect())
    }
}

/// Moves a JSON value's strings and keys into data (serializing it would copy each).
impl From<serde_json::Value> for Data {
    fn from(value: serde_json::Value) -> Data {
        match value {
            serde_json::Value::Null => Data::Null,
            serde_json::Value::Bool(b) => Data::Bool(b),
            serde_json::Value::Number(n) => Data::Number(n),
            serde_json::Value::String(s) => Data::String(s),
            serde_json::Value::Array(items) => {
                Data::Array(items.into_iter().map(Data::from).collect())
            }
            serde_json::Value::Object(fields) => Data::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Data::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Null => serializer.serialize_unit(),
            Data::Bool(b) => serializer.serialize_bool(*b),
            Data::Number(n) => n.serialize(serializer),
            Data::String(s) => serializer.serialize_str(s),
            Data::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Data::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
    }
}

#[derive(Debug)]
pub struct DataError(String);

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DataError {}

impl ser::Error for DataError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DataError(msg.to_string())
    }
}

/// Serializes into [`Data`] the way `serde_json::value::Serializer` serializes into `Value`.
struct DataSerializer;

fn float(f: f64) -> Data {
    Number::from_f64(f).map_or(Data::Null, Data::Number)
}

/// The parts of `Serializer` the contexts never reach (enums with data, bytes, 128-bit numbers).
fn unsupported(what: &str) -> DataError {
    DataError(format!("template data cannot hold {what}"))
}

/// `serialize_*` for integer types: every one fits a JSON number.
macro_rules! integers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<Data, DataError> {
            Ok(Data::Number(v.into()))
        }
    )*};
}

impl Serializer for DataSerializer {
    type Ok = Data;
    type Error = DataError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = ser::Impossible<Data, DataError>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = ser::Impossible<Data, DataError>;

    fn serialize_bool(self, v: bool) -> Result<Data, DataError> {
        Ok(Data::Bool(v))
    }
    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_f32(self, v: f32) -> Result<Data, DataError> {
        Ok(float(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Data, DataError> {
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Result<Data, DataError> {
        Ok(Data::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Data, DataError> {
        Ok(Data::String(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Data, DataError> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<Data, DataError> {
        Ok(Data::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Data, DataError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Data, DataError> {
        Ok(Data::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Data, DataError> {
        Ok(Data::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Data, DataError> {
        Ok(Data::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Data, DataError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Data, DataError> {
        Ok(Data::Object(vec![(
            Cow::Borrowed(variant),
            value.serialize(DataSerializer)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, DataError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, DataError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, DataError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, DataError> {
        Err(unsupported("tuple variants"))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, DataError> {
        Ok(MapBuilder {
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, DataError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, DataError> {
        Err(unsupported("struct variants"))
    }
}

struct SeqBuilder(Vec<Data>);

impl SerializeSeq for SeqBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        self.0.push(value.serialize(DataSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Data, DataError> {
        Ok(Data::Array(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Data, DataError> {
        SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Data, DataError> {
        SerializeSeq::end(self)
    }
}

struct MapBuilder {
    fields: Vec<(Cow<'static, str>, Data)>,
    key: Option<String>,
}

impl SerializeMap for MapBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), DataError> {
        self.key = Some(match key.serialize(DataSerializer)? {
            Data::String(s) => s,
            Data::Number(n) => n.to_string(),
            Data::Bool(b) => b.to_string(),
            _ => return Err(unsupported("a map key that is not a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), DataError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| DataError("a map value came before its key".into()))?;
        let value = value.serialize(DataSerializer)?;
        set_field(&mut self.fields, Cow::Owned(key), value);
        Ok(())
    }
    fn end(self) -> Result<Data, DataError> {
        Ok(Data::Object(self.fields))
    }
}

impl SerializeStruct for MapBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), DataError> {
        // Struct fields are distinct: no need to look for an earlier one.
        self.fields
            .push((Cow::Borrowed(key), value.serialize(DataSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Data, DataError> {
        Ok(Data::Object(self.fields))
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
        let data = Data::from_serialize(&sample());
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
    fn json_values_convert_as_they_serialize() {
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(Data::from(value.clone()), Data::from_serialize(&value));
        assert_eq!(
            serde_json::to_string(&Data::from(value.clone())).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn lookups_and_edits_keep_order() {
        let mut data = Data::from_serialize(&sample());
        assert_eq!(data.get("count"), Some(&Data::Number(3.into())));
        assert_eq!(data.get("nope"), None);
        data.insert("count", Data::Bool(false));
        data.insert("added", Data::Null);
        let keys: Vec<String> = match &data {
            Data::Object(fields) => fields.iter().map(|(k, _)| k.to_string()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys.first().map(String::as_str), Some("name"));
        assert_eq!(keys[1], "count");
        assert_eq!(keys.last().map(String::as_str), Some("added"));
        assert_eq!(data.get("count"), Some(&Data::Bool(false)));
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
            serde_json::to_string(&Data::from_serialize(&Twice)).unwrap(),
            serde_json::to_string(&serde_json::to_value(Twice).unwrap()).unwrap()
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
            json!(""),
            json!("x"),
            json!([]),
            json!([1, "a", null, [2]]),
            json!({}),
            json!({"a": 1}),
        ];
        for value in values {
            let data = Data::from_serialize(&value);
            assert_eq!(data.is_truthy(), value.is_truthy(false), "{value}");
            let mut out = String::new();
            data.write_plain(&mut out);
            assert_eq!(out, value.render(), "{value}");
        }
    }
}
