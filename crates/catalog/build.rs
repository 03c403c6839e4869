//! Rebuild when any catalog file is added, removed or edited: the built-in copy is
//! embedded at compile time.
fn main() {
    println!("cargo:rerun-if-changed=../../catalog");
}
