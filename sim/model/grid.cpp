#include "aidc/model/grid.hpp"
