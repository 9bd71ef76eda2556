# cmake -DTRAINER=... -DTRAINING_CORE=DIR -DCORE=DIR -DOBJECTS=a.o|b.o -P train_profile.cmake
#
# Runs the training program of the training tree and copies each object's counts (X.cpp.gcda beside
# X.cpp.o) to the object at the same path under CORE (OBJECTS: hetplan_core's objects in the main tree).
# Counts of an earlier run are removed first: GCC would add the new run to them.
file(GLOB_RECURSE old_counts "${TRAINING_CORE}/*.gcda")
if(old_counts)
  file(REMOVE ${old_counts})
endif()
execute_process(COMMAND "${TRAINER}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the profile's training run failed (${status})")
endif()
string(REPLACE "|" ";" objects "${OBJECTS}")
foreach(object IN LISTS objects)
  string(REGEX REPLACE "\\.o(bj)?$" ".gcda" counts "${object}")
  file(RELATIVE_PATH relative "${CORE}" "${counts}")
  set(trained "${TRAINING_CORE}/${relative}")
  if(EXISTS "${trained}")
    file(COPY_FILE "${trained}" "${counts}")
  else()
    file(REMOVE "${counts}")  # a file the training never linked: optimized without a profile
  endif()
endforeach()
