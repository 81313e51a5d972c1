//! A check of every Parquet page's declared size before anything is decoded.
//!
//! The `parquet` crate allocates (and zero-fills) the uncompressed size a page header declares
//! before it decompresses the page, so a 1.3 KB file whose page claims 1.4 GB costs 1.4 GB and
//! seconds before it fails. A page can never hold more than its codec can expand its compressed
//! bytes to, so a page declaring more is corrupt, and we refuse it first. The crate keeps its
//! Thrift reader private, and the `thrift` crate allocates a binary field's declared length before
//! reading it, so the page headers are walked here: Thrift's compact protocol, reading only the
//! three sizes, skipping everything else without allocating, bounded in depth and by the bytes.
//!
//! A page header that cannot be walked is refused as well (the decoder's skipping through such
//! bytes can take seconds), wherever the chunk says it starts: the decoder reads a header there
//! even inside the leading `PAR1` magic.
//!
//! The footer is walked the same way first. The crate's Thrift reader skips a list of booleans
//! without consuming a byte per element, so a 1.2 KB footer declaring a list of two billion of
//! them kept it busy for seconds (a fuzzer finding): the walk skips exactly as the crate does
//! and counts the elements it would iterate against a budget. Thrift that does not walk here,
//! or a footer struct that ends before the declared metadata length, is refused.
//!
//! The crate decodes the fields it knows by their place in the Parquet schema and never checks
//! the type the bytes declare, so a field of the wrong type sends it reading the rest of the
//! footer as something else, where such zero-byte booleans can again appear (a 1 KB fuzzer
//! finding kept it busy for 0.26 s; nested, hours are possible). The footer and page headers are
//! therefore walked against the schema (`FILE_META_DATA`, `PAGE_HEADER`): every field the schema
//! names must carry its type, lists their element type; unknown fields are skipped as Thrift.
//! What passes is read by the crate exactly as walked here, so its work is bounded by the bytes
//! and the element budget.

use parquet::basic::{Compression, Type as PhysicalType};
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};

/// The most a compressed byte can grow to, per codec. Snappy: a 3-byte copy emits at most 64
/// bytes (a 2-byte one at most 11), so ≤ 64/3 per byte. Zstd: an RLE block's 3-byte header and
/// 1 byte emit at most 128 KiB, so ≤ 32 768 per byte. Uncompressed pages allocate nothing.
fn max_expansion(codec: Compression) -> Option<u64> {
    match codec {
        Compression::SNAPPY => Some(22),
        Compression::ZSTD(_) => Some(32_768),
        _ => None,
    }
}

/// Slack for small pages, whose fixed-size level prefixes (data page v2) are not compressed.
const SLACK: u64 = 1024;

/// Whether the file's footer metadata is well-formed Thrift (`None`), else what is wrong. A file
/// without the `PAR1` footer or with an impossible metadata length is left to the decoder.
pub(crate) fn footer_problem(data: &[u8]) -> Option<&'static str> {
    let end = data.len().checked_sub(8)?;
    if data.get(end + 4..)? != b"PAR1" {
        return None;
    }
    let length = u32::from_le_bytes(data[end..end + 4].try_into().ok()?);
    let start = end.checked_sub(usize::try_from(length).ok()?)?;
    let mut reader = Compact::new(&data[start..end]);
    match reader.typed_struct(FILE_META_DATA, 0) {
        // A writer's footer is exactly one FileMetaData struct. One that ends early leaves the
        // decoder to read on in bytes that are no metadata (a fuzzer finding: 1.1 KB whose
        // struct ended after 11 of 983 bytes kept the decoder's skipping busy for 0.5 s).
        Some(()) if reader.at == reader.bytes.len() => None,
        Some(()) => Some("its footer metadata ends before the length the file declares"),
        None => Some("its footer metadata is not well-formed Parquet metadata"),
    }
}

/// What is wrong with the first bad page of a file.
pub(crate) enum PageProblem {
    /// Its declared uncompressed size is more than its compressed bytes can expand to.
    Impossible { declared: u64, compressed: u64 },
    /// A dictionary page declaring more values than its uncompressed bytes can hold.
    Dictionary { values: u64, bytes: u64 },
    /// Its data runs past the end of its column chunk.
    PastChunkEnd,
    /// Its header is not a well-formed page header: not Thrift, or fields of the wrong type (the decoder's
    /// skipping of it can loop for seconds, as in the footer).
    Malformed,
}

/// The first bad page of a file, with where it is.
pub(crate) struct BadPage {
    pub row_group: usize,
    pub column: String,
    pub problem: PageProblem,
}

/// Walks every page header of every column chunk the metadata places inside `data`.
pub(crate) fn find_bad_page(data: &[u8], metadata: &ParquetMetaData) -> Option<BadPage> {
    for (row_group, group) in metadata.row_groups().iter().enumerate() {
        for chunk in group.columns() {
            let walk = walk_chunk(data, chunk, max_expansion(chunk.compression()));
            if let Some(problem) = walk.problem {
                return Some(BadPage {
                    row_group,
                    column: chunk.column_path().string(),
                    problem,
                });
            }
        }
    }
    None
}

struct ChunkWalk {
    /// Pages whose headers were read.
    pages: usize,
    /// Whether the headers led exactly to the chunk's end.
    complete: bool,
    problem: Option<PageProblem>,
}

/// The fewest bits a plain-encoded value of the chunk's type takes.
fn value_bits(chunk: &ColumnChunkMetaData) -> u64 {
    match chunk.column_type() {
        PhysicalType::BOOLEAN => 1,
        PhysicalType::INT32 | PhysicalType::FLOAT => 32,
        PhysicalType::INT64 | PhysicalType::DOUBLE => 64,
        PhysicalType::INT96 => 96,
        // A 4-byte length before every value.
        PhysicalType::BYTE_ARRAY => 32,
        PhysicalType::FIXED_LEN_BYTE_ARRAY => 8,
    }
}

fn walk_chunk(data: &[u8], chunk: &ColumnChunkMetaData, ratio: Option<u64>) -> ChunkWalk {
    let mut walk = ChunkWalk {
        pages: 0,
        complete: false,
        problem: None,
    };
    // As `byte_range()`, which panics on the negative offsets a corrupt footer can hold.
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or_else(|| chunk.data_page_offset());
    let (Ok(start), Ok(length)) = (
        usize::try_from(start),
        usize::try_from(chunk.compressed_size()),
    ) else {
        return walk;
    };
    // A chunk said to run past the file is walked as far as the file goes: the decoder reads
    // what there is, so its headers are judged too.
    let Some(end) = start
        .checked_add(length)
        .map(|end| end.min(data.len()))
        .filter(|end| start < *end)
    else {
        return walk;
    };
    let mut at = start;
    while at < end {
        let Some((header_len, sizes)) = page_sizes(&data[at..end]) else {
            // Every page of the chunk must start with a page header: the decoder reads one
            // there, and skipping through bytes that are none kept it busy for 1.7 s on a
            // 1.1 KB file (fuzzer findings, at the first page and at a later one). A chunk said
            // to start inside the leading magic is no exception: the decoder reads its header
            // there too (a fuzzer finding: a mistyped header at offset 3, 0.16 s).
            walk.problem = Some(PageProblem::Malformed);
            return walk;
        };
        walk.pages += 1;
        if let Some(values) = sizes.dictionary_values {
            // A dictionary is written plain: every value takes at least `width` bytes (an eighth
            // of one for booleans, bit-packed).
            let room = sizes.uncompressed.saturating_mul(8) / value_bits(chunk);
            if values > room {
                walk.problem = Some(PageProblem::Dictionary {
                    values,
                    bytes: sizes.uncompressed,
                });
                return walk;
            }
        }
        if let Some(ratio) = ratio {
            let limit = sizes.compressed.saturating_mul(ratio).saturating_add(SLACK);
            if sizes.uncompressed > limit {
                walk.problem = Some(PageProblem::Impossible {
                    declared: sizes.uncompressed,
                    compressed: sizes.compressed,
                });
                return walk;
            }
        }
        let Some(next) = at
            .checked_add(header_len)
            .and_then(|n| n.checked_add(usize::try_from(sizes.compressed).ok()?))
        else {
            return walk;
        };
        at = next;
    }
    walk.complete = at == end;
    // A page running past the end of its chunk (or of the file) is none a writer makes: the
    // decoder would read its next header in what follows (a fuzzer finding, 0.4 s of
    // skipping for a 1 KB file).
    if at > end {
        walk.problem = Some(PageProblem::PastChunkEnd);
    }
    walk
}

struct PageSizes {
    uncompressed: u64,
    compressed: u64,
    /// For a dictionary page: how many values it declares (the decoder allocates room for them
    /// before reading any).
    dictionary_values: Option<u64>,
}

/// Reads one `PageHeader` (fields 2 and 3: uncompressed and compressed page size) and returns
/// its length in bytes with the sizes; `None` when it is not a well-formed header.
fn page_sizes(bytes: &[u8]) -> Option<(usize, PageSizes)> {
    let mut reader = Compact::new(bytes);
    let mut uncompressed = None;
    let mut compressed = None;
    let mut dictionary_values = None;
    let mut field_id: i16 = 0;
    loop {
        let header = reader.byte()?;
        let kind = header & 0x0f;
        if kind == 0 {
            break;
        }
        field_id = match header >> 4 {
            0 => i16::try_from(zigzag(reader.varint()?)).ok()?,
            delta => field_id.checked_add(i16::from(delta))?,
        };
        match (field_id, kind) {
            (2, I32) => uncompressed = Some(zigzag(reader.varint()?) as i32),
            (3, I32) => compressed = Some(zigzag(reader.varint()?) as i32),
            (7, STRUCT) => dictionary_values = Some(reader.dictionary_values()?),
            _ => reader.typed_field(PAGE_HEADER, field_id, kind, 0)?,
        }
    }
    let sizes = PageSizes {
        uncompressed: u64::try_from(uncompressed?).ok()?,
        compressed: u64::try_from(compressed?).ok()?,
        // A negative count is the decoder's to refuse; it allocates nothing for it.
        dictionary_values: dictionary_values.and_then(|n| u64::try_from(n).ok()),
    };
    Some((reader.at, sizes))
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

/// A Thrift type of the Parquet schema, as far as the metadata walk checks it.
#[derive(Clone, Copy)]
enum Wire {
    Bool,
    Byte,
    I16,
    I32,
    I64,
    Double,
    Binary,
    Struct(&'static [(i16, Wire)]),
    List(&'static Wire),
}

impl Wire {
    /// Whether bytes declaring compact type `kind` hold a value of this type.
    fn is(self, kind: u8) -> bool {
        match self {
            Wire::Bool => kind == BOOL_TRUE || kind == BOOL_FALSE,
            Wire::Byte => kind == BYTE,
            Wire::I16 => kind == I16,
            Wire::I32 => kind == I32,
            Wire::I64 => kind == I64,
            Wire::Double => kind == DOUBLE,
            Wire::Binary => kind == BINARY,
            Wire::Struct(_) => kind == STRUCT,
            Wire::List(_) => kind == LIST,
        }
    }
}

// The footer and page-header structs field by field, as the `parquet` crate (60.1) declares
// them (`file/metadata/thrift/mod.rs`, `basic.rs`): a field it knows and this table lacks would
// be walked here as unknown while the crate reads it by type (a fuzzer finding: Statistics'
// `9: nan_count`). Check them again when the crate is upgraded.
const EMPTY: &[(i16, Wire)] = &[];
const KEY_VALUE: &[(i16, Wire)] = &[(1, Wire::Binary), (2, Wire::Binary)];
const DECIMAL_TYPE: &[(i16, Wire)] = &[(1, Wire::I32), (2, Wire::I32)];
const TIME_UNIT: &[(i16, Wire)] = &[
    (1, Wire::Struct(EMPTY)),
    (2, Wire::Struct(EMPTY)),
    (3, Wire::Struct(EMPTY)),
];
const TIME_TYPE: &[(i16, Wire)] = &[(1, Wire::Bool), (2, Wire::Struct(TIME_UNIT))];
const INT_TYPE: &[(i16, Wire)] = &[(1, Wire::Byte), (2, Wire::Bool)];
const VARIANT_TYPE: &[(i16, Wire)] = &[(1, Wire::Byte)];
const GEOMETRY_TYPE: &[(i16, Wire)] = &[(1, Wire::Binary)];
const GEOGRAPHY_TYPE: &[(i16, Wire)] = &[(1, Wire::Binary), (2, Wire::I32)];
const LOGICAL_TYPE: &[(i16, Wire)] = &[
    (1, Wire::Struct(EMPTY)),
    (2, Wire::Struct(EMPTY)),
    (3, Wire::Struct(EMPTY)),
    (4, Wire::Struct(EMPTY)),
    (5, Wire::Struct(DECIMAL_TYPE)),
    (6, Wire::Struct(EMPTY)),
    (7, Wire::Struct(TIME_TYPE)),
    (8, Wire::Struct(TIME_TYPE)),
    (10, Wire::Struct(INT_TYPE)),
    (11, Wire::Struct(EMPTY)),
    (12, Wire::Struct(EMPTY)),
    (13, Wire::Struct(EMPTY)),
    (14, Wire::Struct(EMPTY)),
    (15, Wire::Struct(EMPTY)),
    (16, Wire::Struct(VARIANT_TYPE)),
    (17, Wire::Struct(GEOMETRY_TYPE)),
    (18, Wire::Struct(GEOGRAPHY_TYPE)),
    (19, Wire::Struct(EMPTY)),
];
const SCHEMA_ELEMENT: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::I32),
    (3, Wire::I32),
    (4, Wire::Binary),
    (5, Wire::I32),
    (6, Wire::I32),
    (7, Wire::I32),
    (8, Wire::I32),
    (9, Wire::I32),
    (10, Wire::Struct(LOGICAL_TYPE)),
];
const STATISTICS: &[(i16, Wire)] = &[
    (1, Wire::Binary),
    (2, Wire::Binary),
    (3, Wire::I64),
    (4, Wire::I64),
    (5, Wire::Binary),
    (6, Wire::Binary),
    (7, Wire::Bool),
    (8, Wire::Bool),
    (9, Wire::I64),
];
const PAGE_ENCODING_STATS: &[(i16, Wire)] = &[(1, Wire::I32), (2, Wire::I32), (3, Wire::I32)];
const SIZE_STATISTICS: &[(i16, Wire)] = &[
    (1, Wire::I64),
    (2, Wire::List(&Wire::I64)),
    (3, Wire::List(&Wire::I64)),
];
const BOUNDING_BOX: &[(i16, Wire)] = &[
    (1, Wire::Double),
    (2, Wire::Double),
    (3, Wire::Double),
    (4, Wire::Double),
    (5, Wire::Double),
    (6, Wire::Double),
    (7, Wire::Double),
    (8, Wire::Double),
];
const GEOSPATIAL_STATISTICS: &[(i16, Wire)] =
    &[(1, Wire::Struct(BOUNDING_BOX)), (2, Wire::List(&Wire::I32))];
const COLUMN_META_DATA: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::List(&Wire::I32)),
    (3, Wire::List(&Wire::Binary)),
    (4, Wire::I32),
    (5, Wire::I64),
    (6, Wire::I64),
    (7, Wire::I64),
    (8, Wire::List(&Wire::Struct(KEY_VALUE))),
    (9, Wire::I64),
    (10, Wire::I64),
    (11, Wire::I64),
    (12, Wire::Struct(STATISTICS)),
    (13, Wire::List(&Wire::Struct(PAGE_ENCODING_STATS))),
    (14, Wire::I64),
    (15, Wire::I32),
    (16, Wire::Struct(SIZE_STATISTICS)),
    (17, Wire::Struct(GEOSPATIAL_STATISTICS)),
];
const ENCRYPTION_WITH_COLUMN_KEY: &[(i16, Wire)] =
    &[(1, Wire::List(&Wire::Binary)), (2, Wire::Binary)];
const COLUMN_CRYPTO_META_DATA: &[(i16, Wire)] = &[
    (1, Wire::Struct(EMPTY)),
    (2, Wire::Struct(ENCRYPTION_WITH_COLUMN_KEY)),
];
const COLUMN_CHUNK: &[(i16, Wire)] = &[
    (1, Wire::Binary),
    (2, Wire::I64),
    (3, Wire::Struct(COLUMN_META_DATA)),
    (4, Wire::I64),
    (5, Wire::I32),
    (6, Wire::I64),
    (7, Wire::I32),
    (8, Wire::Struct(COLUMN_CRYPTO_META_DATA)),
    (9, Wire::Binary),
];
const SORTING_COLUMN: &[(i16, Wire)] = &[(1, Wire::I32), (2, Wire::Bool), (3, Wire::Bool)];
const ROW_GROUP: &[(i16, Wire)] = &[
    (1, Wire::List(&Wire::Struct(COLUMN_CHUNK))),
    (2, Wire::I64),
    (3, Wire::I64),
    (4, Wire::List(&Wire::Struct(SORTING_COLUMN))),
    (5, Wire::I64),
    (6, Wire::I64),
    (7, Wire::I16),
];
const AES_GCM: &[(i16, Wire)] = &[(1, Wire::Binary), (2, Wire::Binary), (3, Wire::Bool)];
const ENCRYPTION_ALGORITHM: &[(i16, Wire)] =
    &[(1, Wire::Struct(AES_GCM)), (2, Wire::Struct(AES_GCM))];
const FILE_META_DATA: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::List(&Wire::Struct(SCHEMA_ELEMENT))),
    (3, Wire::I64),
    (4, Wire::List(&Wire::Struct(ROW_GROUP))),
    (5, Wire::List(&Wire::Struct(KEY_VALUE))),
    (6, Wire::Binary),
    (7, Wire::List(&Wire::Struct(&[(1, Wire::Struct(EMPTY))]))),
    (8, Wire::Struct(ENCRYPTION_ALGORITHM)),
    (9, Wire::Binary),
];
const DATA_PAGE_HEADER: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::I32),
    (3, Wire::I32),
    (4, Wire::I32),
    (5, Wire::Struct(STATISTICS)),
];
const DICTIONARY_PAGE_HEADER: &[(i16, Wire)] = &[(1, Wire::I32), (2, Wire::I32), (3, Wire::Bool)];
const DATA_PAGE_HEADER_V2: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::I32),
    (3, Wire::I32),
    (4, Wire::I32),
    (5, Wire::I32),
    (6, Wire::I32),
    (7, Wire::Bool),
    (8, Wire::Struct(STATISTICS)),
];
const PAGE_HEADER: &[(i16, Wire)] = &[
    (1, Wire::I32),
    (2, Wire::I32),
    (3, Wire::I32),
    (4, Wire::I32),
    (5, Wire::Struct(DATA_PAGE_HEADER)),
    (6, Wire::Struct(EMPTY)),
    (7, Wire::Struct(DICTIONARY_PAGE_HEADER)),
    (8, Wire::Struct(DATA_PAGE_HEADER_V2)),
];

/// Deeper nesting than any Parquet metadata has is treated as malformed (the crate's own limit).
const MAX_DEPTH: u32 = 64;

fn zigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// A cursor over Thrift compact-protocol bytes.
struct Compact<'a> {
    bytes: &'a [u8],
    at: usize,
    /// List, set and map elements skipped so far, counted as the decoder iterates them.
    elements: u64,
}

impl<'a> Compact<'a> {
    fn new(bytes: &'a [u8]) -> Compact<'a> {
        Compact {
            bytes,
            at: 0,
            elements: 0,
        }
    }

    /// Counts `count` more skipped elements; `None` past the budget: at least 1 Mi elements, and
    /// 16 per byte (every element but a boolean takes a byte, so only boolean lists reach it).
    fn count_elements(&mut self, count: u64) -> Option<()> {
        self.elements = self.elements.checked_add(count)?;
        let budget = (self.bytes.len() as u64).saturating_mul(16).max(1 << 20);
        (self.elements <= budget).then_some(())
    }

    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn advance(&mut self, count: u64) -> Option<()> {
        let count = usize::try_from(count).ok()?;
        let next = self.at.checked_add(count)?;
        (next <= self.bytes.len()).then(|| self.at = next)
    }

    /// A `DictionaryPageHeader` struct: its field 1, the number of values, read as i32 as the
    /// decoder does; the other fields skipped.
    fn dictionary_values(&mut self) -> Option<i32> {
        let mut values = None;
        let mut field_id: i16 = 0;
        loop {
            let header = self.byte()?;
            let kind = header & 0x0f;
            if kind == 0 {
                return values;
            }
            field_id = match header >> 4 {
                0 => i16::try_from(zigzag(self.varint()?)).ok()?,
                delta => field_id.checked_add(i16::from(delta))?,
            };
            match (field_id, kind) {
                (1, I32) => values = Some(zigzag(self.varint()?) as i32),
                _ => self.typed_field(DICTIONARY_PAGE_HEADER, field_id, kind, 1)?,
            }
        }
    }

    /// A struct whose known fields must carry the types `fields` gives them (see the module
    /// documentation); unknown fields are skipped. Field ids follow the crate's rules: a delta
    /// that overflows an i16 is an error, and a header whose type nibble is 0 ends the struct.
    fn typed_struct(&mut self, fields: &[(i16, Wire)], depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut field_id: i16 = 0;
        loop {
            let header = self.byte()?;
            let kind = header & 0x0f;
            if kind == 0 {
                return Some(());
            }
            field_id = match header >> 4 {
                0 => i16::try_from(zigzag(self.varint()?)).ok()?,
                delta => field_id.checked_add(i16::from(delta))?,
            };
            self.typed_field(fields, field_id, kind, depth + 1)?;
        }
    }

    /// One field's value: checked against the schema when `fields` names the id, else skipped.
    fn typed_field(&mut self, fields: &[(i16, Wire)], id: i16, kind: u8, depth: u32) -> Option<()> {
        match fields.iter().find(|(known, _)| *known == id) {
            Some((_, wire)) => self.typed_value(*wire, kind, depth),
            None => self.skip(kind, depth),
        }
    }

    /// A value the schema types as `wire`, whose bytes declare `kind`. As a struct field a
    /// boolean is held in the field header; inside a list it is a byte of its own.
    fn typed_value(&mut self, wire: Wire, kind: u8, depth: u32) -> Option<()> {
        if !wire.is(kind) {
            return None;
        }
        match wire {
            Wire::Bool => Some(()),
            Wire::Struct(fields) => self.typed_struct(fields, depth),
            Wire::List(element) => {
                let header = self.byte()?;
                // Some writers mark an empty list with a zero byte, as the crate accepts.
                if header == 0 {
                    return Some(());
                }
                let element_kind = header & 0x0f;
                if !element.is(element_kind) {
                    return None;
                }
                let mut count = u64::from(header >> 4);
                if count == 15 {
                    count = self.varint()?;
                }
                for _ in 0..count {
                    match element {
                        Wire::Bool => self.advance(1)?,
                        _ => self.typed_value(*element, element_kind, depth + 1)?,
                    }
                }
                Some(())
            }
            _ => self.skip(kind, depth),
        }
    }

    /// ULEB128, at most 10 bytes.
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// Skips one value of the given compact type as the decoder's Thrift reader does (parquet
    /// 60.1, `skip_till_depth`): a boolean, as a field or as a list, set or map element, takes
    /// no byte of its own (the protocol gives list elements a byte each; the decoder reads
    /// none), a list header of 0 is an empty list, and counts above `i32::MAX` are errors.
    /// Walking differently from the decoder let it read a footer this walk had accepted as
    /// other structures (a fuzzer finding). Elements are counted against a budget, since
    /// boolean elements cost the decoder time but no bytes.
    fn skip(&mut self, kind: u8, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Some(()),
            BYTE => self.advance(1),
            I16 | I32 | I64 => self.varint().map(|_| ()),
            DOUBLE => self.advance(8),
            UUID => self.advance(16),
            BINARY => {
                let length = self.varint()?;
                self.advance(length)
            }
            LIST | SET => {
                let header = self.byte()?;
                if header == 0 {
                    return Some(());
                }
                let element = header & 0x0f;
                let mut count = u64::from(header >> 4);
                if count == 15 {
                    count = self.varint()?;
                }
                self.elements(element, None, count, depth)
            }
            MAP => {
                let count = self.varint()?;
                if count == 0 {
                    return Some(());
                }
                let types = self.byte()?;
                self.elements(types >> 4, Some(types & 0x0f), count, depth)
            }
            STRUCT => loop {
                let header = self.byte()?;
                let kind = header & 0x0f;
                if kind == 0 {
                    return Some(());
                }
                // A field id that does not fit the 4-bit delta follows as a varint.
                if header >> 4 == 0 {
                    self.varint()?;
                }
                self.skip(kind, depth + 1)?;
            },
            _ => None,
        }
    }

    /// `count` list elements of type `first` (map entries: `first` keys and `second` values).
    fn elements(&mut self, first: u8, second: Option<u8>, count: u64, depth: u32) -> Option<()> {
        let valid = |kind: u8| (BOOL_TRUE..=UUID).contains(&kind);
        if !valid(first) || second.is_some_and(|kind| !valid(kind)) || count > i32::MAX as u64 {
            return None;
        }
        self.count_elements(count)?;
        let kinds = [Some(first), second];
        let is_bool = |kind: u8| kind == BOOL_TRUE || kind == BOOL_FALSE;
        if kinds.iter().flatten().all(|&kind| is_bool(kind)) {
            return Some(());
        }
        for _ in 0..count {
            for &kind in kinds.iter().flatten() {
                self.skip(kind, depth + 1)?;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sizes_and_skips_nested_fields() {
        // type = 0 (i32 5), uncompressed 100, compressed 40, data_page_header struct {1: i32 3,
        // 10: binary "ab", 11: list<i32>[1,2]} (fields the schema does not name), stop.
        let header = [
            0x15, 0x00, // field 1, i32, 0
            0x15, 0xc8, 0x01, // field 2, i32, zigzag(100) = 200
            0x15, 0x50, // field 3, i32, zigzag(40) = 80
            0x2c, // field 5 (delta 2), struct
            0x15, 0x06, // field 1, i32 3
            0x98, 0x02, b'a', b'b', // field 10 (delta 9), binary "ab"
            0x19, 0x25, 0x02, 0x04, // field 11, list of 2 i32
            0x00, // end of struct
            0x00, // end of header
        ];
        let (length, sizes) = page_sizes(&header).expect("well-formed");
        assert_eq!(length, header.len());
        assert_eq!((sizes.uncompressed, sizes.compressed), (100, 40));
    }

    #[test]
    fn fields_of_the_wrong_type_are_not_read() {
        // data_page_header's field 2 (encoding, an i32) as a binary; the sizes as i64.
        let mistyped_nested = [
            0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x50, 0x2c, 0x15, 0x06, 0x18, 0x02, b'a', b'b',
            0x00, 0x00,
        ];
        assert!(page_sizes(&mistyped_nested).is_none());
        let mistyped_size = [0x15, 0x00, 0x16, 0xc8, 0x01, 0x15, 0x50, 0x00];
        assert!(page_sizes(&mistyped_size).is_none());
        // A list whose element type is not the schema's (encodings: list<i32> of binaries),
        // inside a footer-like struct walk.
        let mut reader = Compact::new(&[0x29, 0x18, 0x01, b'x', 0x00]);
        assert!(reader.typed_struct(COLUMN_META_DATA, 0).is_none());
    }

    #[test]
    fn reads_a_dictionary_pages_value_count() {
        let header = [
            0x15, 0x04, // field 1: type 2 (dictionary page)
            0x15, 0x10, // field 2: uncompressed 8
            0x15, 0x10, // field 3: compressed 8
            0x4c, // field 7 (delta 4): dictionary_page_header
            0x15, 0xd0, 0x0f, // field 1: num_values zigzag(2000) = 1000
            0x15, 0x00, // field 2: encoding 0
            0x00, // end of struct
            0x00, // end of header
        ];
        let (length, sizes) = page_sizes(&header).expect("well-formed");
        assert_eq!(length, header.len());
        assert_eq!(sizes.dictionary_values, Some(1000));
        assert_eq!(sizes.uncompressed, 8);
    }

    #[test]
    fn truncated_or_endless_headers_are_not_read() {
        assert!(page_sizes(&[0x15, 0xc8]).is_none());
        assert!(page_sizes(&[0x18, 0xff, 0xff, 0xff, 0x0f]).is_none());
        let deep = [0x1c; 64];
        assert!(page_sizes(&deep).is_none());
    }

    /// Files as writers make them (pyarrow: snappy v1 pages with statistics; zstd v2 pages,
    /// several per chunk, with a page index): every header is read and leads to the chunk's end,
    /// so the check sees every page and refuses none.
    #[test]
    fn walks_every_page_of_real_files() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        for (name, more_pages_than_chunks) in [
            ("basic.parquet", false),
            ("basic-epoch.parquet", false),
            ("basic-v2-pages.parquet", true),
        ] {
            let path = format!(
                "{}/../tests/inputs/events/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let data = std::fs::read(&path).expect(&path);
            let reader = SerializedFileReader::new(bytes::Bytes::from(data.clone())).expect(name);
            let metadata = reader.metadata();
            let (mut pages, mut chunks) = (0, 0);
            for group in metadata.row_groups() {
                for chunk in group.columns() {
                    let walk = walk_chunk(&data, chunk, max_expansion(chunk.compression()));
                    assert!(walk.complete && walk.problem.is_none(), "{name}");
                    pages += walk.pages;
                    chunks += 1;
                }
            }
            assert_eq!(
                pages > chunks * 2,
                more_pages_than_chunks,
                "{name}: {pages} pages"
            );
            assert!(find_bad_page(&data, metadata).is_none(), "{name}");
            assert_eq!(footer_problem(&data), None, "{name}");
        }
    }
}
