#!/usr/bin/env bash
# Builds one generated site with briefing and with its peers, Zola and Hugo,
# and times them side by side: `bash benches/peers.sh [ARTICLES]` (default
# 10000).
#
# The corpus is the benchmarks' skewed one (gen_corpus's default; SKEW=0 for
# the uniform one), shared with benches/corpora.sh in $BENCH_DIR (default
# /dev/shm, i.e. memory). From it the script writes a Zola site and a Hugo
# site (in $BENCH_DIR/peers-N/) with the same articles, their companies,
# topics and authors as taxonomies (term values are the entities' names),
# and equal minimal templates: a page per article (title, date, links to
# its terms, body, sources), the home page newest first and term pages, 20
# articles a page, a page listing each taxonomy's terms, a feed of the
# newest 20 articles with full bodies for the site and for every term, a
# sitemap, robots.txt and a 404 page. Zola also builds its search index
# (elasticlunr; PEER_SEARCH=0 turns it off); Hugo has none. briefing builds
# everything it does by default, from a warm .briefing/cache.
#
# Each tool builds once to warm up, then all three build in turn, $ROUNDS
# rounds (default 5), each into a folder in $BENCH_DIR that is deleted before
# every run. Every run is timed with /usr/bin/time: wall, CPU (user+sys) and
# peak RSS. The script prints each round as it ends with the ratios
# briefing/zola and briefing/hugo within that round, then the medians.
#
# BIN=path times another build of briefing (default target/release/briefing,
# built first). ZOLA=path and HUGO=path name the peers' binaries (default:
# `zola` and `hugo` on PATH, else /work/peers/zola and /work/peers/hugo, where
# the benchmark machine keeps them, outside the repository); a peer that is
# not there is skipped, and the script says so. The figures in
# benches/RESULTS.md were taken with Zola 0.22.1 and Hugo 0.111.3.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/dev/shm}
rounds=${ROUNDS:-5}
skew=${SKEW:-0.85}
search=${PEER_SEARCH:-1}
n=${1:-10000}

find_peer() { # NAME ENV_VALUE: the binary to run, or nothing
  if [ -n "$2" ]; then
    command -v "$2" || true
  else
    command -v "$1" || { [ -x "/work/peers/$1" ] && echo "/work/peers/$1"; } || true
  fi
}
zola=$(find_peer zola "${ZOLA:-}")
hugo=$(find_peer hugo "${HUGO:-}")

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
fi
cargo build --release --quiet --example gen_corpus
bin=${BIN:-target/release/briefing}

case "$skew" in
  0.85) corpus="$dir/briefing-corpus-$n" ;;
  0 | 0.0) corpus="$dir/briefing-corpus-$n-uniform" ;;
  *) corpus="$dir/briefing-corpus-$n-skew$skew" ;;
esac
# As in corpora.sh: a corpus is reused only if it was made with this skew.
if [ ! -d "$corpus" ] || [ "$(cat "$corpus.skew" 2>/dev/null)" != "$skew" ]; then
  rm -rf "$corpus"
  target/release/examples/gen_corpus --articles "$n" --skew "$skew" --out "$corpus"
  echo "$skew" >"$corpus.skew"
fi

work="$dir/peers-$n"
mkdir -p "$work"
tools=(briefing)
skip() { # NAME ENV_VALUE
  if [ -n "$2" ]; then
    echo "skipping $1: $2 is not an executable"
  else
    echo "skipping $1: not installed (no ${1,,} on PATH or in /work/peers; set ${1^^}=path to its binary)"
  fi
}
if [ -n "$zola" ]; then tools+=(zola); else skip Zola "${ZOLA:-}"; fi
if [ -n "$hugo" ]; then tools+=(hugo); else skip Hugo "${HUGO:-}"; fi

# The peers' sites, written afresh from the corpus every time (not timed).
write_zola_site() {
  local site="$work/zola-site"
  rm -rf "$site"
  mkdir -p "$site/content/articles" "$site/templates"
  cat >"$site/config.toml" <<EOF
base_url = "https://bench.example.org"
title = "Synthetic Briefing"
default_language = "en"
generate_feeds = true
feed_filenames = ["atom.xml"]
feed_limit = 20
build_search_index = $([ "$search" = 1 ] && echo true || echo false)
generate_sitemap = true
generate_robots_txt = true
taxonomies = [
  { name = "companies", feed = true, paginate_by = 20 },
  { name = "topics", feed = true, paginate_by = 20 },
  { name = "authors", feed = true, paginate_by = 20 },
]
EOF
  printf '+++\nsort_by = "date"\npaginate_by = 20\n+++\n' >"$site/content/_index.md"
  printf '+++\nsort_by = "date"\ntransparent = true\nrender = false\n+++\n' >"$site/content/articles/_index.md"
  cat >"$site/templates/index.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ config.title }}</title>
<link rel="alternate" type="application/atom+xml" href="{{ get_url(path="atom.xml") }}"></head>
<body><h1>{{ config.title }}</h1><ul>
{% for page in paginator.pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a> <time>{{ page.date }}</time></li>
{% endfor %}</ul>
{% if paginator.previous %}<a href="{{ paginator.previous }}">Newer</a>{% endif %}
{% if paginator.next %}<a href="{{ paginator.next }}">Older</a>{% endif %}
</body></html>
EOF
  cp "$site/templates/index.html" "$site/templates/section.html"
  cat >"$site/templates/page.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }} · {{ config.title }}</title></head>
<body><article><h1>{{ page.title }}</h1><time>{{ page.date }}</time>
{% for kind in ["companies", "topics", "authors"] %}{% if page.taxonomies[kind] %}<p>
{% for name in page.taxonomies[kind] %}<a href="{{ get_taxonomy_url(kind=kind, name=name) }}">{{ name }}</a> {% endfor %}</p>{% endif %}{% endfor %}
{{ page.content | safe }}
<ul>{% for source in page.extra.sources %}<li><a href="{{ source.url }}">{{ source.title }}</a></li>{% endfor %}</ul>
</article></body></html>
EOF
  cat >"$site/templates/taxonomy_list.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ taxonomy.name }} · {{ config.title }}</title></head>
<body><h1>{{ taxonomy.name }}</h1><ul>
{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a> ({{ term.page_count }})</li>
{% endfor %}</ul></body></html>
EOF
  cat >"$site/templates/taxonomy_single.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ term.name }} · {{ config.title }}</title>
<link rel="alternate" type="application/atom+xml" href="{{ term.permalink }}atom.xml"></head>
<body><h1>{{ term.name }}</h1><p>{{ term.page_count }} articles</p><ul>
{% for page in paginator.pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a> <time>{{ page.date }}</time></li>
{% endfor %}</ul>
{% if paginator.previous %}<a href="{{ paginator.previous }}">Newer</a>{% endif %}
{% if paginator.next %}<a href="{{ paginator.next }}">Older</a>{% endif %}
</body></html>
EOF
  printf '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1></body></html>\n' >"$site/templates/404.html"
}

write_hugo_site() {
  local site="$work/hugo-site"
  rm -rf "$site"
  mkdir -p "$site/content/articles" "$site/layouts/_default"
  cat >"$site/config.toml" <<'EOF'
baseURL = "https://bench.example.org/"
title = "Synthetic Briefing"
languageCode = "en"
paginate = 20
enableRobotsTXT = true
disableKinds = ["section"]
[pagination]
  pagerSize = 20
[taxonomies]
  company = "companies"
  topic = "topics"
  author = "authors"
[outputs]
  home = ["HTML", "RSS"]
  page = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
[services.rss]
  limit = 20
EOF
  cat >"$site/layouts/index.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}</head>
<body><h1>{{ site.Title }}</h1><ul>
{{ $pager := .Paginate site.RegularPages }}{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
</body></html>
EOF
  cat >"$site/layouts/_default/single.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>
{{ range slice "companies" "topics" "authors" }}{{ with $.GetTerms . }}<p>
{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}{{ end }}
{{ .Content }}
<ul>{{ range .Params.sources }}<li><a href="{{ .url }}">{{ .title }}</a></li>{{ end }}</ul>
</article></body></html>
EOF
  cat >"$site/layouts/_default/terms.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul></body></html>
EOF
  cat >"$site/layouts/_default/term.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}</head>
<body><h1>{{ .Title }}</h1><p>{{ len .Pages }} articles</p><ul>
{{ $pager := .Paginate .Pages }}{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
</body></html>
EOF
  cp "$site/layouts/_default/term.html" "$site/layouts/_default/list.html"
  # Full bodies, as Zola's built-in Atom feed and briefing's feeds have.
  cat >"$site/layouts/_default/rss.xml" <<'EOF'
{{- $pages := .Pages -}}{{- if .IsHome }}{{ $pages = site.RegularPages }}{{ end -}}
{{- $limit := site.Config.Services.RSS.Limit -}}{{- if ge $limit 1 }}{{ $pages = $pages | first $limit }}{{ end -}}
{{ printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
{{ range $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><guid>{{ .Permalink }}</guid><description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
EOF
  printf '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1></body></html>\n' >"$site/layouts/404.html"
}

# Converts the articles' front matter: TOML `+++` with [taxonomies] and
# [extra] for Zola, YAML with entity names for Hugo; `@/` links become
# Hugo's relref. Bundles (a folder with index.md) are copied whole.
convert_articles() { # CORPUS ZOLA_CONTENT HUGO_CONTENT (either may be "")
  perl - "$@" <<'PERL'
use strict; use warnings;
my ($corpus, $zola, $hugo) = @ARGV;
my %names;
for my $kind ("companies", "topics") {
  opendir(my $d, "$corpus/content/$kind") or die "$corpus/content/$kind: $!";
  for my $f (grep { /\.md$/ } readdir $d) {
    open(my $fh, "<", "$corpus/content/$kind/$f") or die "$f: $!";
    local $/; my $text = <$fh>;
    (my $id = $f) =~ s/\.md$//;
    $names{$kind}{$id} = $text =~ /^name:\s*"([^"]*)"/m ? $1 : $id;
  }
}
my $articles = "$corpus/content/articles";
opendir(my $d, $articles) or die "$articles: $!";
my @entries = sort grep { !/^\./ } readdir $d;
my %bundle = map { $_ => 1 } grep { -d "$articles/$_" } @entries;
sub quote { my $s = shift; $s =~ s/\\/\\\\/g; $s =~ s/"/\\"/g; "\"$s\"" }
sub list { "[" . join(", ", map { quote($_) } @_) . "]" }
for my $e (@entries) {
  my ($src, $stem);
  if ($bundle{$e}) { $src = "$articles/$e/index.md"; $stem = $e; }
  elsif ($e =~ /^(.*)\.md$/) { $src = "$articles/$e"; $stem = $1; }
  else { next; }
  open(my $fh, "<", $src) or die "$src: $!";
  my $text = do { local $/; <$fh> };
  my ($front, $body) = $text =~ /\A---\n(.*?)\n---\n(.*)\z/s or die "$src: no front matter";
  my %f = (companies => [], topics => []);
  my @sources;
  for my $line (split /\n/, $front) {
    if ($line =~ /^(title|author):\s*"(.*)"$/) { $f{$1} = $2; }
    elsif ($line =~ /^date:\s*(\S+)/) { $f{date} = $1; }
    elsif ($line =~ /^(companies|topics):\s*\[(.*)\]/) {
      my $kind = $1;
      $f{$kind} = [map { $names{$kind}{$_} // $_ } grep { length } map { s/^\s+|\s+$//gr } split /,/, $2];
    }
    elsif ($line =~ /^\s*-\s*title:\s*"(.*)"$/) { push @sources, { title => $1 }; }
    elsif ($line =~ /^\s*url:\s*"(.*)"$/ && @sources) { $sources[-1]{url} = $1; }
  }
  my @authors = defined $f{author} ? ($f{author}) : ();
  my $target = sub { my $s = shift; $bundle{$s} ? "$s/index.md" : "$s.md" };
  if ($zola ne "") {
    my $zbody = $body =~ s{\(\@/articles/([^)]+?)\.md\)}{"(\@/articles/" . $target->($1) . ")"}ger;
    my $out = "+++\ntitle = " . quote($f{title} // $stem) . "\ndate = $f{date}\nauthors = " . list(@authors)
      . "\n\n[taxonomies]\ncompanies = " . list(@{$f{companies}}) . "\ntopics = " . list(@{$f{topics}})
      . "\nauthors = " . list(@authors) . "\n\n[extra]\nsources = ["
      . join(", ", map { "{ title = " . quote($_->{title}) . ", url = " . quote($_->{url} // "") . " }" } @sources)
      . "]\n+++\n" . $zbody;
    write_page("$zola/articles", $e, $stem, $out, $bundle{$e} ? "$articles/$e" : undef);
  }
  if ($hugo ne "") {
    my $hbody = $body =~ s{\(\@/articles/([^)]+?)\.md\)}{"({{< relref \"/articles/" . $target->($1) . "\" >}})"}ger;
    my $hfront = join("\n", map {
      /^(companies|topics):/ ? "$1: " . list(@{$f{$1}}) : $_
    } split /\n/, $front) . "\nauthors: " . list(@authors);
    write_page("$hugo/articles", $e, $stem, "---\n$hfront\n---\n$hbody", $bundle{$e} ? "$articles/$e" : undef);
  }
}
sub write_page {
  my ($dir, $entry, $stem, $text, $bundle_dir) = @_;
  my $file = "$dir/$stem.md";
  if (defined $bundle_dir) {
    system("cp", "-r", $bundle_dir, "$dir/$entry") == 0 or die "cp $bundle_dir: $?";
    $file = "$dir/$entry/index.md";
  }
  open(my $out, ">", $file) or die "$file: $!";
  print $out $text;
  close $out or die "$file: $!";
}
PERL
}

[ -n "$zola" ] && write_zola_site
[ -n "$hugo" ] && write_hugo_site
convert_articles "$corpus" "$([ -n "$zola" ] && echo "$work/zola-site/content")" \
  "$([ -n "$hugo" ] && echo "$work/hugo-site/content")"

run() { # TOOL: one build into $work/out-TOOL, timed into $work/time-TOOL
  local tool=$1 out="$work/out-$1"
  rm -rf "$out"
  local cmd
  case "$tool" in
    briefing) cmd=("$bin" build --root "$corpus" --output "$out") ;;
    zola) cmd=("$zola" --root "$work/zola-site" build --output-dir "$out") ;;
    hugo) cmd=("$hugo" --source "$work/hugo-site" --destination "$out") ;;
  esac
  if ! /usr/bin/time -f "%e %U %S %M" -o "$work/time-$tool" "${cmd[@]}" >"$work/log-$tool" 2>&1; then
    echo "$tool failed: ${cmd[*]}" >&2
    tail -20 "$work/log-$tool" >&2
    exit 1
  fi
  read -r wall user sys rss <"$work/time-$tool"
  eval "last_wall_$tool=$wall last_cpu_$tool=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') last_rss_$tool=$((rss / 1024))"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { # FORMAT VALUES...
  local format=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v f="$format" '{ v[NR] = $1 } END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
# The corpus's shape, from its front matter: the most- and least-covered company.
shape=$(find "$corpus/content/articles" -name '*.md' -exec grep -h '^companies:' {} + |
  awk -F'[][]' -v n="$n" '{ split($2, ids, ", "); delete seen; for (i in ids) if (!(ids[i] in seen)) { seen[ids[i]] = 1; c[ids[i]]++ } }
    END { for (k in c) { if (c[k] > top) top = c[k]; if (bottom == "" || c[k] < bottom) bottom = c[k] }
          printf "companies in %.1f%% to %.1f%% of the articles", 100 * top / n, 100 * bottom / n }')
echo "corpus: $corpus ($n articles, skew $skew: $shape)"
echo "briefing: $bin ($("$bin" --version 2>/dev/null || echo "version unknown"), commit $(git rev-parse --short HEAD 2>/dev/null || echo "?"))"
[ -n "$zola" ] && echo "zola: $zola ($("$zola" --version)), search index: $([ "$search" = 1 ] && echo on || echo off)"
[ -n "$hugo" ] && echo "hugo: $hugo ($("$hugo" version | cut -d' ' -f1-2))"
echo "output: $work/out-TOOL, deleted before every run; warm-up: one build of each, not counted"
for tool in "${tools[@]}"; do run "$tool"; done

header="| round |"
rule="| --- |"
for tool in "${tools[@]}"; do
  header+=" $tool wall | $tool CPU | $tool RSS |"
  rule+=" --- | --- | --- |"
done
for tool in "${tools[@]:1}"; do
  header+=" briefing/$tool wall | briefing/$tool CPU |"
  rule+=" --- | --- |"
done
echo
echo "$header"
echo "$rule"
declare -A walls cpus rsss ratios_wall ratios_cpu
for round in $(seq "$rounds"); do
  row="| $round |"
  for tool in "${tools[@]}"; do
    run "$tool"
    eval "w=\$last_wall_$tool c=\$last_cpu_$tool r=\$last_rss_$tool"
    walls[$tool]+="$w "
    cpus[$tool]+="$c "
    rsss[$tool]+="$r "
    row+=" $w s | $c s | $r MiB |"
  done
  for tool in "${tools[@]:1}"; do
    eval "w=\$last_wall_$tool c=\$last_cpu_$tool"
    rw=$(ratio "$last_wall_briefing" "$w")
    rc=$(ratio "$last_cpu_briefing" "$c")
    ratios_wall[$tool]+="$rw "
    ratios_cpu[$tool]+="$rc "
    row+=" ${rw}× | ${rc}× |"
  done
  echo "$row"
done

echo
echo "| tool | wall (median of $rounds) | CPU (user+sys) | peak RSS | output | files |"
echo "| --- | --- | --- | --- | --- | --- |"
for tool in "${tools[@]}"; do
  # shellcheck disable=SC2086
  echo "| $tool | $(median %.2f ${walls[$tool]}) s | $(median %.2f ${cpus[$tool]}) s | $(median %.0f ${rsss[$tool]}) MiB | $(du -sm "$work/out-$tool" | cut -f1) MiB | $(find "$work/out-$tool" -type f | wc -l) |"
done
for tool in "${tools[@]:1}"; do
  # shellcheck disable=SC2086
  echo "briefing/$tool: wall $(median %.2f ${ratios_wall[$tool]})×, CPU $(median %.2f ${ratios_cpu[$tool]})× (medians of the rounds' ratios)"
done
