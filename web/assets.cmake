# assets.cmake - embed the files served under /assets/ into meldpunt_web.
#
# Two modes. Included from CMakeLists.txt, it checks that the npm packages
# are installed (scripts/deps), declares the build step and sets ASSETS_C,
# the generated C source to add to meldpunt_web. Run as a script
# (cmake -P, with -DOUT=...), it writes that source: an array of struct
# static_file (web/static.h), one entry per served file, sorted by name:
#
#   theme.css       the design tokens (CSS custom properties); by default the
#                   NL Design System "voorbeeld" theme. An organisation swaps
#                   in its own token file with -DMELDPUNT_THEME_CSS=FILE and
#                   -DMELDPUNT_THEME_CLASS=its-theme-class (see README.md).
#                   The theme's class selector is rewritten to :root, so the
#                   pages need not know which theme they wear.
#   components.css  the NL Design System (Utrecht) component CSS we use,
#                   concatenated in the order of MELDPUNT_COMPONENT_CSS.
#   *.css *.svg *.png *.ico under web/assets/: our own files, under their
#                   own names (meldpunt.css is our stylesheet).

# The Utrecht component packages whose CSS the pages use (package.json
# pins their versions). Order matters little: each styles its own classes.
set(MELDPUNT_COMPONENT_CSS
  document page page-header page-content page-footer
  heading-1 heading-2 heading-3 paragraph link
  unordered-list ordered-list data-list table
  form-fieldset form-field form-label form-field-description
  form-field-error-message textbox textarea select checkbox radio-button
  button alert skip-link)

if(NOT CMAKE_SCRIPT_MODE_FILE)
  # Included from CMakeLists.txt.
  set(MELDPUNT_NODE_MODULES ${PROJECT_SOURCE_DIR}/node_modules CACHE PATH
    "Where npm installed package.json's packages (scripts/deps)")
  set(MELDPUNT_THEME_CSS
    ${MELDPUNT_NODE_MODULES}/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css
    CACHE FILEPATH "Design token CSS served as /assets/theme.css")
  set(MELDPUNT_THEME_CLASS voorbeeld-theme CACHE STRING
    "The class selector MELDPUNT_THEME_CSS declares its tokens on")

  set(_asset_inputs ${MELDPUNT_THEME_CSS})
  foreach(c ${MELDPUNT_COMPONENT_CSS})
    list(APPEND _asset_inputs ${MELDPUNT_NODE_MODULES}/@utrecht/${c}-css/dist/index.css)
  endforeach()
  foreach(f ${_asset_inputs})
    if(NOT EXISTS ${f})
      message(FATAL_ERROR "Missing ${f}.\n"
        "The NL Design System CSS comes from npm: run scripts/deps "
        "(it runs `npm ci`) and configure again.")
    endif()
  endforeach()
  file(GLOB MELDPUNT_OWN_ASSETS CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/web/assets/*.css ${PROJECT_SOURCE_DIR}/web/assets/*.svg
    ${PROJECT_SOURCE_DIR}/web/assets/*.png ${PROJECT_SOURCE_DIR}/web/assets/*.ico)

  set(ASSETS_C ${PROJECT_BINARY_DIR}/assets_embedded.c)
  add_custom_command(OUTPUT ${ASSETS_C}
    COMMAND ${CMAKE_COMMAND} -DOUT=${ASSETS_C}
            -DASSET_DIR=${PROJECT_SOURCE_DIR}/web/assets
            -DNODE_MODULES=${MELDPUNT_NODE_MODULES}
            -DTHEME_CSS=${MELDPUNT_THEME_CSS}
            -DTHEME_CLASS=${MELDPUNT_THEME_CLASS}
            -P ${PROJECT_SOURCE_DIR}/web/assets.cmake
    DEPENDS ${_asset_inputs} ${MELDPUNT_OWN_ASSETS}
            ${PROJECT_SOURCE_DIR}/web/assets.cmake
    COMMENT "Embedding web/assets/ and the NL Design System CSS")
  return()
endif()

# Script mode: write OUT.
# Reads file into ${var}_bytes (C initialiser) and ${var}_size.
function(embed_bytes var file)
  file(READ ${file} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
  set(${var}_bytes "${bytes}" PARENT_SCOPE)
  set(${var}_size ${size} PARENT_SCOPE)
endfunction()

foreach(v OUT ASSET_DIR NODE_MODULES THEME_CSS THEME_CLASS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "assets.cmake: -D${v}=... is required")
  endif()
endforeach()

# Generated assets are written to files beside OUT, then embedded like
# our own: file_NAME is the file each served NAME comes from.
set(names "")
set(gen ${OUT}.d)
file(MAKE_DIRECTORY ${gen})

# theme.css: the theme's class selector becomes :root.
if(NOT EXISTS ${THEME_CSS})
  message(FATAL_ERROR "Missing ${THEME_CSS}: run scripts/deps")
endif()
file(READ ${THEME_CSS} theme)
string(FIND "${theme}" ".${THEME_CLASS}" at)
if(at LESS 0)
  message(FATAL_ERROR "${THEME_CSS} never mentions .${THEME_CLASS}: "
    "set MELDPUNT_THEME_CLASS to the class its tokens are declared on")
endif()
string(REGEX REPLACE "\\.${THEME_CLASS}([^A-Za-z0-9_-])" ":root\\1" theme "${theme}")
# The comment names no build path: the served file should not reveal one.
file(WRITE ${gen}/theme.css "/* Design tokens, served by Meldpunt as /assets/theme.css\n   (.${THEME_CLASS} rewritten to :root). */\n${theme}")
list(APPEND names theme.css)
set(file_theme.css ${gen}/theme.css)

# components.css: the Utrecht component CSS, concatenated.
set(components "/* NL Design System (Utrecht) component CSS, embedded by Meldpunt. */\n")
foreach(c ${MELDPUNT_COMPONENT_CSS})
  set(f ${NODE_MODULES}/@utrecht/${c}-css/dist/index.css)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "Missing ${f}: run scripts/deps")
  endif()
  file(READ ${f} css)
  string(APPEND components "\n/* @utrecht/${c}-css */\n${css}\n")
endforeach()
file(WRITE ${gen}/components.css "${components}")
list(APPEND names components.css)
set(file_components.css ${gen}/components.css)

# Our own files, byte for byte.
file(GLOB own RELATIVE ${ASSET_DIR}
  ${ASSET_DIR}/*.css ${ASSET_DIR}/*.svg ${ASSET_DIR}/*.png ${ASSET_DIR}/*.ico)
foreach(f ${own})
  if(f STREQUAL "theme.css" OR f STREQUAL "components.css")
    message(FATAL_ERROR "web/assets/${f}: that name is taken by a generated asset")
  endif()
  if(NOT f MATCHES "^[a-z0-9-]+\\.(css|svg|png|ico)$")
    message(FATAL_ERROR "web/assets/${f}: asset names are [a-z0-9-]+ and one "
      "extension (web/static.h), or the server would never serve it")
  endif()
  list(APPEND names ${f})
  set(file_${f} ${ASSET_DIR}/${f})
endforeach()
list(SORT names)

set(body "/* Generated by web/assets.cmake; do not edit. */\n#include <stddef.h>\n\n#include \"static.h\"\n\n")
set(table "")
set(i 0)
foreach(n ${names})
  embed_bytes(e ${file_${n}})
  file(SHA256 ${file_${n}} sum)
  string(SUBSTRING ${sum} 0 12 sum)
  string(APPEND body "static const unsigned char asset${i}[] = {\n${e_bytes}0x00};\n")
  string(APPEND table "\t{\"${n}\", asset${i}, ${e_size}, \"${sum}\"},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst struct static_file static_files[] = {\n${table}\t{NULL, NULL, 0, NULL}\n};\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
