//! `Serialize` values into [`Data`], the way `serde_json::value::Serializer` serializes them
//! into `Value` (the tests compare the two).

use std::fmt;

use compact_str::CompactString;
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde_json::Number;

use super::Data;

#[derive(Debug)]
pub(crate) struct DataError(String);

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

pub(super) struct DataSerializer;

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
        Ok(Data::String(CompactString::new(v.encode_utf8(&mut [0; 4]))))
    }
    fn serialize_str(self, v: &str) -> Result<Data, DataError> {
        Ok(Data::String(CompactString::new(v)))
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
        Ok(Data::String(CompactString::const_new(variant)))
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
            CompactString::const_new(variant),
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
            // No length: a `#[serde(flatten)]`ed struct, whose fields come one by one; room for
            // a model struct's fields spares growing the list three times over.
            fields: Vec::with_capacity(len.unwrap_or(16)),
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

pub(super) struct SeqBuilder(Vec<Data>);

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

/// Sets `key` in place if it is there, else at the end: what `serde_json::Map::insert` does
/// with preserved order (a later duplicate replaces an earlier one where it stood).
fn set_field(fields: &mut Vec<(CompactString, Data)>, key: CompactString, value: Data) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) => *existing = value,
        None => fields.push((key, value)),
    }
}

pub(super) struct MapBuilder {
    fields: Vec<(CompactString, Data)>,
    key: Option<CompactString>,
}

impl SerializeMap for MapBuilder {
    type Ok = Data;
    type Error = DataError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), DataError> {
        self.key = Some(match key.serialize(DataSerializer)? {
            Data::String(s) => s,
            Data::Number(n) => CompactString::new(n.to_string()),
            Data::Bool(b) => CompactString::const_new(if b { "true" } else { "false" }),
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
        set_field(&mut self.fields, key, value);
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
        self.fields.push((
            CompactString::const_new(key),
            value.serialize(DataSerializer)?,
        ));
        Ok(())
    }
    fn end(self) -> Result<Data, DataError> {
        Ok(Data::Object(self.fields))
    }
}
