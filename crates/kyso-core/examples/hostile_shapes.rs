//! Writes the hostile shapes of `tests/hostile_shapes` for the benchmark
//! (`scripts/bench-hostile.sh`): `hostile_shapes OUTDIR [MB…]` makes `SHAPE-NMB.pdf` for
//! every shape at each size (default 1, 5 and 10 MB) and prints their names.

#[path = "../tests/hostile_shapes/mod.rs"]
mod shapes;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: hostile_shapes OUTDIR [MB…]");
        std::process::exit(2);
    };
    let mut sizes: Vec<usize> = args.filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![1, 5, 10];
    }
    let dir = std::path::Path::new(&dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
    for (name, _) in shapes::SHAPES {
        for mb in &sizes {
            let Some(bytes) = shapes::make(name, mb << 20) else {
                continue;
            };
            let path = dir.join(format!("{name}-{mb}MB.pdf"));
            if let Err(e) = std::fs::write(&path, &bytes) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
            println!("{}", path.display());
        }
    }
}
